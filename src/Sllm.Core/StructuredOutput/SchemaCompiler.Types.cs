using System.Text.Json;

namespace Sllm.StructuredOutput;

/// <content>Typed schemas (object, array, string, number, integer, boolean, null) and unions.</content>
internal sealed partial class SchemaCompiler
{
    private int CompileTyped(JsonElement schema, string pointer)
    {
        var types = new List<string>();
        if (schema.TryGetProperty("type", out JsonElement type))
        {
            if (type.ValueKind == JsonValueKind.String)
            {
                types.Add(type.GetString()!);
            }
            else if (type.ValueKind == JsonValueKind.Array && type.GetArrayLength() > 0)
            {
                foreach (JsonElement item in type.EnumerateArray())
                {
                    types.Add(item.ValueKind == JsonValueKind.String ? item.GetString()! : string.Empty);
                }
            }
            else
            {
                throw Error($"'type' at '{pointer}/type' must be a type name or a non-empty array of them.", pointer + "/type", "type");
            }
        }
        else
        {
            types.Add(schema.TryGetProperty("properties", out _) || schema.TryGetProperty("required", out _) || schema.TryGetProperty("additionalProperties", out _) ? "object"
                : schema.TryGetProperty("items", out _) || schema.TryGetProperty("minItems", out _) || schema.TryGetProperty("maxItems", out _) ? "array"
                : schema.TryGetProperty("minLength", out _) || schema.TryGetProperty("maxLength", out _) ? "string"
                : "any");
        }

        var compiled = new List<int>(types.Count);
        foreach (string name in types)
        {
            compiled.Add(name switch
            {
                "object" => CompileObject(schema, pointer),
                "array" => CompileArray(schema, pointer),
                "string" => Add(new GrammarNode(NodeKind.String)
                {
                    Min = ReadCount(schema, "minLength", pointer) ?? 0,
                    Max = ReadCount(schema, "maxLength", pointer) ?? -1,
                }),
                "number" => Add(new GrammarNode(NodeKind.Number)),
                "integer" => Add(new GrammarNode(NodeKind.Integer)),
                "boolean" => Literals([JsonTrue, JsonFalse]),
                "null" => Literals([JsonNull]),
                "any" => Any(),
                _ => throw Error($"'type' at '{pointer}/type' names unknown type '{name}'.", pointer + "/type", "type"),
            });
            GrammarNode last = nodes[compiled[^1]];
            if (last.Kind == NodeKind.String && last.Max >= 0 && last.Max < last.Min)
            {
                throw Error($"'maxLength' at '{pointer}/maxLength' is below 'minLength'.", pointer + "/maxLength", "maxLength");
            }
        }

        if (schema.TryGetProperty("uniqueItems", out JsonElement unique) && unique.ValueKind != JsonValueKind.False)
        {
            throw Error($"'uniqueItems' at '{pointer}/uniqueItems' is supported only as false.", pointer + "/uniqueItems", "uniqueItems");
        }

        return compiled.Count == 1 ? compiled[0] : Union(compiled, pointer + "/type", "type");
    }

    private int CompileObject(JsonElement schema, string pointer)
    {
        JsonElement additional = schema.TryGetProperty("additionalProperties", out JsonElement a) ? a : default;
        if (!schema.TryGetProperty("properties", out JsonElement properties))
        {
            if (schema.TryGetProperty("required", out JsonElement req) && req.ValueKind == JsonValueKind.Array && req.GetArrayLength() > 0)
            {
                throw Error($"'required' at '{pointer}/required' names properties the schema does not declare in 'properties'.", pointer + "/required", "required");
            }

            if (additional.ValueKind == JsonValueKind.False)
            {
                return Add(new GrammarNode(NodeKind.Object) { Trie = new ByteTrie(), Shape = new ObjectShape([], [], []) });
            }

            int value = additional.ValueKind == JsonValueKind.Object ? CompileSchema(additional, pointer + "/additionalProperties") : Any();
            return Add(new GrammarNode(NodeKind.FreeObject) { Child = value, Key = PlainString() });
        }

        if (properties.ValueKind != JsonValueKind.Object)
        {
            throw Error($"'properties' at '{pointer}/properties' must be an object.", pointer + "/properties", "properties");
        }

        var names = new List<string>();
        var values = new List<int>();
        foreach (JsonProperty property in properties.EnumerateObject())
        {
            names.Add(property.Name);
            values.Add(CompileSchema(property.Value, pointer + "/properties/" + property.Name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal)));
        }

        if (names.Count > 64)
        {
            throw Error($"The object at '{pointer}' declares {names.Count} properties; constrained decoding supports at most 64.", pointer + "/properties", "properties");
        }

        bool[] required = new bool[names.Count];
        if (schema.TryGetProperty("required", out JsonElement requiredList))
        {
            foreach (JsonElement item in requiredList.EnumerateArray())
            {
                int index = item.ValueKind == JsonValueKind.String ? names.IndexOf(item.GetString()!) : -1;
                if (index < 0)
                {
                    throw Error($"'required' at '{pointer}/required' names '{item}', which 'properties' does not declare.", pointer + "/required", "required");
                }

                required[index] = true;
            }
        }

        var trie = new ByteTrie();
        for (int i = 0; i < names.Count; i++)
        {
            trie.Add(KeyBytes(names[i]), i);
        }

        return Add(new GrammarNode(NodeKind.Object) { Trie = trie, Shape = new ObjectShape([.. names], [.. values], required) });
    }

    private int CompileArray(JsonElement schema, string pointer)
    {
        int items = Any();
        if (schema.TryGetProperty("items", out JsonElement itemSchema))
        {
            if (itemSchema.ValueKind == JsonValueKind.Array)
            {
                throw Error($"'items' at '{pointer}/items' as an array (tuple validation) is not supported.", pointer + "/items", "items");
            }

            items = CompileSchema(itemSchema, pointer + "/items");
        }

        int min = ReadCount(schema, "minItems", pointer) ?? 0;
        int max = ReadCount(schema, "maxItems", pointer) ?? -1;
        if (max >= 0 && max < min)
        {
            throw Error($"'maxItems' at '{pointer}/maxItems' is below 'minItems'.", pointer + "/maxItems", "maxItems");
        }

        return Add(new GrammarNode(NodeKind.Array) { Child = items, Min = min, Max = max });
    }

    private int? ReadCount(JsonElement schema, string keyword, string pointer)
    {
        if (!schema.TryGetProperty(keyword, out JsonElement value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int count) && count >= 0
            ? count
            : throw Error($"'{keyword}' at '{pointer}/{keyword}' must be a non-negative integer.", pointer + "/" + keyword, keyword);
    }

    private static byte[] KeyBytes(string name)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, CompactWriter))
        {
            writer.WriteStringValue(name);
        }

        return [.. buffer.WrittenSpan, (byte)':'];
    }

    private static readonly JsonElement JsonTrue = JsonDocument.Parse("true").RootElement;
    private static readonly JsonElement JsonFalse = JsonDocument.Parse("false").RootElement;
    private static readonly JsonElement JsonNull = JsonDocument.Parse("null").RootElement;
}
