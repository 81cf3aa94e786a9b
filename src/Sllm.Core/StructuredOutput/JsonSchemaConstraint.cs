using System.Text.Json;

namespace Sllm.StructuredOutput;

/// <summary>
/// A JSON schema compiled into a grammar that constrained decoding can follow byte by byte: the output of a generation
/// constrained by it always parses and validates against the schema.
/// </summary>
/// <remarks>
/// <para>Supported: <c>type</c> (one name or an array of them), <c>enum</c>, <c>const</c>, <c>properties</c>,
/// <c>required</c>, <c>additionalProperties</c> (false, true or a schema; with <c>properties</c> only the declared properties
/// are generated, in declaration order, optional ones may be left out), <c>items</c>, <c>minItems</c>, <c>maxItems</c>,
/// <c>minLength</c>, <c>maxLength</c> (counted in Unicode code points), <c>$ref</c> to local pointers (<c>#/$defs/...</c>,
/// recursion included), <c>anyOf</c> and <c>oneOf</c> whose alternatives start differently (different JSON types or literals),
/// and <c>allOf</c> with one schema. Annotations (<c>title</c>, <c>description</c>, <c>default</c>, <c>$schema</c>, ...) and
/// <c>format</c> are ignored. Any other keyword raises <see cref="JsonSchemaException"/> naming it and its JSON pointer.</para>
/// <para>Generated JSON has no insignificant whitespace; integers have at most 9 digits and numbers at most 9 integer and
/// 6 fraction digits, with no exponent, so every value fits the usual .NET types. Nesting is bounded by
/// <see cref="MaxDepth"/>. Immutable and thread-safe.</para>
/// </remarks>
public sealed class JsonSchemaConstraint
{
    /// <summary>The nesting bound used when none is given.</summary>
    public const int DefaultMaxDepth = 16;

    private JsonSchemaConstraint((GrammarNode[] Nodes, int Root) grammar, int maxDepth)
    {
        Nodes = grammar.Nodes;
        Root = grammar.Root;
        MaxDepth = maxDepth;
    }

    /// <summary>Gets the most nested values (objects, arrays, strings, ...) one document may hold, the outermost included.</summary>
    public int MaxDepth { get; }

    internal GrammarNode[] Nodes { get; }

    internal int Root { get; }

    /// <summary>Compiles a JSON schema.</summary>
    /// <param name="schema">The schema document (an object or <c>true</c>).</param>
    /// <param name="maxDepth">The nesting bound; recursive schemas stop recursing there.</param>
    /// <returns>The constraint.</returns>
    /// <exception cref="JsonSchemaException">The schema is malformed or uses an unsupported keyword.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxDepth"/> is below 1 or above 256.</exception>
    public static JsonSchemaConstraint FromSchema(JsonElement schema, int maxDepth = DefaultMaxDepth) => FromSchema(schema, maxDepth, path: null);

    /// <summary>Reads and compiles a JSON schema file.</summary>
    /// <param name="path">The schema file.</param>
    /// <param name="maxDepth">The nesting bound.</param>
    /// <returns>The constraint.</returns>
    /// <exception cref="JsonSchemaException">The file is not JSON, or the schema is malformed or unsupported (the message names the file).</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static JsonSchemaConstraint FromFile(string path, int maxDepth = DefaultMaxDepth)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string text = File.ReadAllText(path);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException ex)
        {
            throw new JsonSchemaException($"{path}: not valid JSON: {ex.Message}", string.Empty, keyword: null, path, ex);
        }

        using (document)
        {
            return FromSchema(document.RootElement, maxDepth, path);
        }
    }

    /// <summary>Creates the constraint of any JSON object (what <c>ChatResponseFormat.Json</c> asks for).</summary>
    /// <param name="maxDepth">The nesting bound.</param>
    /// <returns>The constraint.</returns>
    public static JsonSchemaConstraint AnyObject(int maxDepth = DefaultMaxDepth)
    {
        CheckDepth(maxDepth);
        return new(SchemaCompiler.CompileAny(objectOnly: true, maxDepth), maxDepth);
    }

    /// <summary>Creates the constraint of any JSON value.</summary>
    /// <param name="maxDepth">The nesting bound.</param>
    /// <returns>The constraint.</returns>
    public static JsonSchemaConstraint AnyValue(int maxDepth = DefaultMaxDepth)
    {
        CheckDepth(maxDepth);
        return new(SchemaCompiler.CompileAny(objectOnly: false, maxDepth), maxDepth);
    }

    /// <summary>Returns whether <paramref name="json"/> is, byte for byte, a document this constraint can generate.</summary>
    /// <param name="json">The text (no surrounding whitespace).</param>
    /// <returns><see langword="true"/> when the whole text matches.</returns>
    public bool Matches(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var matcher = new JsonMatcher(this, [], []);
        int[] state = new int[matcher.StateLength];
        matcher.Reset(state);
        return matcher.Step(state, System.Text.Encoding.UTF8.GetBytes(json)) && matcher.IsComplete(state);
    }

    private static JsonSchemaConstraint FromSchema(JsonElement schema, int maxDepth, string? path)
    {
        CheckDepth(maxDepth);
        return new(SchemaCompiler.Compile(schema, maxDepth, path), maxDepth);
    }

    private static void CheckDepth(int maxDepth)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDepth, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxDepth, 256);
    }
}
