using System.Text.Encodings.Web;
using System.Text.Json;

namespace Sllm.StructuredOutput;

/// <summary>Compiles a JSON schema document into grammar nodes; one instance per compilation, not thread-safe.</summary>
internal sealed partial class SchemaCompiler
{
    private static readonly JsonWriterOptions CompactWriter = new() { Indented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly HashSet<string> Ignored = new(StringComparer.Ordinal)
    {
        "$schema", "$id", "$comment", "$anchor", "title", "description", "default", "examples", "deprecated", "readOnly",
        "writeOnly", "format", "contentEncoding", "contentMediaType", "$defs", "definitions",
    };

    private static readonly HashSet<string> Handled = new(StringComparer.Ordinal)
    {
        "type", "enum", "const", "$ref", "anyOf", "oneOf", "allOf", "properties", "required", "additionalProperties",
        "items", "minItems", "maxItems", "minLength", "maxLength", "uniqueItems",
    };

    private readonly List<GrammarNode> nodes = [];
    private readonly Dictionary<string, int> refs = new(StringComparer.Ordinal);
    private readonly JsonElement document;
    private readonly string? path;
    private int any = -1;
    private int plainString = -1;

    private SchemaCompiler(JsonElement document, string? path)
    {
        this.document = document;
        this.path = path;
    }

    /// <summary>Compiles <paramref name="schema"/> into nodes and the root node id.</summary>
    public static (GrammarNode[] Nodes, int Root) Compile(JsonElement schema, int maxDepth, string? path)
    {
        var compiler = new SchemaCompiler(schema, path);
        int root = compiler.CompileSchema(schema, string.Empty);
        compiler.Finish(root, maxDepth);
        return ([.. compiler.nodes], root);
    }

    /// <summary>Builds the grammar of any JSON object (<paramref name="objectOnly"/>) or any JSON value.</summary>
    public static (GrammarNode[] Nodes, int Root) CompileAny(bool objectOnly, int maxDepth)
    {
        var compiler = new SchemaCompiler(default, null);
        int root = compiler.Any();
        if (objectOnly)
        {
            root = compiler.nodes[root].Dispatch!['{'];
        }

        compiler.Finish(root, maxDepth);
        return ([.. compiler.nodes], root);
    }

    private int CompileSchema(JsonElement schema, string pointer)
    {
        if (schema.ValueKind == JsonValueKind.True)
        {
            return Any();
        }

        if (schema.ValueKind != JsonValueKind.Object)
        {
            throw Error($"The schema at '{pointer}' must be an object or true, not {schema.ValueKind}.", pointer, null);
        }

        bool hasHandled = false;
        foreach (JsonProperty property in schema.EnumerateObject())
        {
            if (Handled.Contains(property.Name))
            {
                hasHandled = true;
            }
            else if (!Ignored.Contains(property.Name))
            {
                throw Unsupported(property.Name, pointer);
            }
        }

        if (!hasHandled)
        {
            return Any();
        }

        if (schema.TryGetProperty("$ref", out JsonElement reference))
        {
            RequireAlone(schema, "$ref", pointer);
            return Reference(reference, pointer + "/$ref");
        }

        if (schema.TryGetProperty("const", out JsonElement constant))
        {
            return Literals([constant]);
        }

        if (schema.TryGetProperty("enum", out JsonElement values))
        {
            if (values.ValueKind != JsonValueKind.Array || values.GetArrayLength() == 0)
            {
                throw Error($"'enum' at '{pointer}/enum' must be a non-empty array.", pointer + "/enum", "enum");
            }

            return Literals([.. values.EnumerateArray()]);
        }

        foreach (string combinator in (ReadOnlySpan<string>)["anyOf", "oneOf", "allOf"])
        {
            if (schema.TryGetProperty(combinator, out JsonElement alternatives))
            {
                return Combine(schema, combinator, alternatives, pointer);
            }
        }

        return CompileTyped(schema, pointer);
    }

    private int Combine(JsonElement schema, string combinator, JsonElement alternatives, string pointer)
    {
        string at = pointer + "/" + combinator;
        RequireAlone(schema, combinator, pointer);
        if (alternatives.ValueKind != JsonValueKind.Array || alternatives.GetArrayLength() == 0)
        {
            throw Error($"'{combinator}' at '{at}' must be a non-empty array.", at, combinator);
        }

        if (combinator == "allOf" && alternatives.GetArrayLength() != 1)
        {
            throw Error($"'allOf' at '{at}' is supported only with a single schema.", at, combinator);
        }

        var compiled = new List<int>();
        int index = 0;
        foreach (JsonElement alternative in alternatives.EnumerateArray())
        {
            compiled.Add(CompileSchema(alternative, $"{at}/{index++}"));
        }

        return Union(compiled, at, combinator);
    }

    private void RequireAlone(JsonElement schema, string keyword, string pointer)
    {
        foreach (JsonProperty property in schema.EnumerateObject())
        {
            if (property.Name != keyword && Handled.Contains(property.Name))
            {
                throw Error(
                    $"'{property.Name}' at '{pointer}/{property.Name}' next to '{keyword}' is not supported; move it into the referenced or alternative schemas.",
                    pointer + "/" + property.Name,
                    property.Name);
            }
        }
    }

    private int Reference(JsonElement reference, string pointer)
    {
        string target = reference.ValueKind == JsonValueKind.String ? reference.GetString()! : string.Empty;
        if (!target.StartsWith('#'))
        {
            throw Error($"'$ref' at '{pointer}' must be a local reference starting with '#', not '{target}'.", pointer, "$ref");
        }

        if (refs.TryGetValue(target, out int known))
        {
            return known;
        }

        JsonElement resolved = document;
        foreach (string segment in target.Length <= 2 ? [] : target[2..].Split('/'))
        {
            string name = Uri.UnescapeDataString(segment).Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            if (resolved.ValueKind == JsonValueKind.Object && resolved.TryGetProperty(name, out JsonElement child))
            {
                resolved = child;
            }
            else if (resolved.ValueKind == JsonValueKind.Array && int.TryParse(name, out int i) && i >= 0 && i < resolved.GetArrayLength())
            {
                resolved = resolved[i];
            }
            else
            {
                throw Error($"'$ref' at '{pointer}' points to '{target}', which the schema does not contain.", pointer, "$ref");
            }
        }

        // A placeholder first, so a recursive reference finds it; it takes the target's shape once that is compiled.
        int placeholder = Add(new GrammarNode(NodeKind.Literal));
        refs[target] = placeholder;
        int compiled = CompileSchema(resolved, target.Length <= 1 ? string.Empty : target[1..]);
        nodes[placeholder].CopyFrom(nodes[compiled]);
        return placeholder;
    }

    private int Literals(JsonElement[] values)
    {
        var trie = new ByteTrie();
        for (int i = 0; i < values.Length; i++)
        {
            var buffer = new System.Buffers.ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer, CompactWriter))
            {
                values[i].WriteTo(writer);
            }

            trie.Add(buffer.WrittenSpan, i);
        }

        return Add(new GrammarNode(NodeKind.Literal) { Trie = trie });
    }

    private int Add(GrammarNode node)
    {
        nodes.Add(node);
        return nodes.Count - 1;
    }

    private JsonSchemaException Unsupported(string keyword, string pointer) => Error(
        $"JSON schema keyword '{keyword}' at '{pointer}/{keyword}' is not supported by constrained decoding (supported: type, enum, const, properties, required, additionalProperties, items, minItems, maxItems, minLength, maxLength, $ref, $defs, anyOf, oneOf; ignored: annotations and format).",
        pointer + "/" + keyword,
        keyword);

    private JsonSchemaException Error(string message, string pointer, string? keyword) =>
        new(path is null ? message : $"{path}: {message}", pointer, keyword, path);
}
