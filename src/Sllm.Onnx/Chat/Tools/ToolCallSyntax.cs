using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace Sllm.Onnx;

/// <summary>One tool-call format: the markup a model writes around calls, how to parse it, and what constrained decoding
/// needs to force a call in that format.</summary>
/// <remarks>
/// <para>Stateless and immutable; the instances from <see cref="For"/> are shared by all threads.</para>
/// <para>Forcing a call (<see cref="ChatToolMode.RequireAny"/>): generate <see cref="CallPrefix"/>, then JSON matching
/// <see cref="BuildPayloadSchema"/>, then <see cref="CallSuffix"/>; the text parses back with this syntax.</para>
/// </remarks>
internal abstract class ToolCallSyntax
{
    private static readonly ToolCallSyntax[] All =
    [
        new JsonToolCallSyntax(), new HermesToolCallSyntax(), new Llama3ToolCallSyntax(), new MistralToolCallSyntax(), new Phi4MiniToolCallSyntax(),
    ];

    /// <summary>Gets the format.</summary>
    public abstract ToolCallFormat Format { get; }

    /// <summary>Gets the literal text that opens a call when one is forced (e.g. <c>"&lt;tool_call&gt;\n"</c>); empty when the
    /// call is the whole message.</summary>
    public abstract string CallPrefix { get; }

    /// <summary>Gets the literal text that closes a forced call (e.g. <c>"\n&lt;/tool_call&gt;"</c>); empty when the call runs
    /// to the end of the message.</summary>
    public abstract string CallSuffix { get; }

    /// <summary>Gets a value indicating whether the payload between <see cref="CallPrefix"/> and <see cref="CallSuffix"/> is an
    /// array of call objects (<see langword="true"/>) or one call object.</summary>
    public abstract bool PayloadIsArray { get; }

    /// <summary>Gets the key of a call object that holds the arguments (<c>arguments</c> or <c>parameters</c>); the key of the
    /// function name is always <c>name</c>.</summary>
    public virtual string ArgumentsKey => "arguments";

    /// <summary>Gets the marker that opens a call in free text (trimmed: the model may write any whitespace around it), or
    /// <see langword="null"/> when calls are only recognised as the whole message.</summary>
    public abstract string? OpenMarker { get; }

    /// <summary>Gets the marker that closes a call, or <see langword="null"/> when a call runs to the end of the message.</summary>
    public virtual string? CloseMarker => null;

    /// <summary>Gets a value indicating whether a message that is JSON (starts with <c>{</c>, <c>[</c> or a <c>```</c> fence)
    /// is parsed as calls.</summary>
    public virtual bool WholeMessageJson => false;

    /// <summary>Gets the marker strings that may be special tokens, which a decoder skipping special tokens would drop.</summary>
    public virtual IEnumerable<string> MarkerTokens => OpenMarker is null ? [] : CloseMarker is null ? [OpenMarker] : [OpenMarker, CloseMarker];

    /// <summary>Gets the shared syntax of a format.</summary>
    /// <param name="format">The format.</param>
    /// <returns>The syntax.</returns>
    public static ToolCallSyntax For(ToolCallFormat format) =>
        (uint)format < (uint)All.Length ? All[(int)format] : throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown tool-call format.");

    /// <summary>Parses the text between an open marker and its close marker (or the end of the message).</summary>
    /// <param name="payload">The text, markers excluded.</param>
    /// <param name="calls">Receives the calls; unchanged on failure.</param>
    /// <param name="error">Why the text is not a call.</param>
    /// <returns>Whether the text held one or more well-formed calls.</returns>
    public abstract bool TryParsePayload(string payload, List<FunctionCallContent> calls, out string? error);

    /// <summary>Parses a whole message that starts like JSON (only when <see cref="WholeMessageJson"/>).</summary>
    /// <param name="message">The message text.</param>
    /// <param name="calls">Receives the calls; unchanged on failure.</param>
    /// <returns>Whether the message is calls; when not, it is ordinary text.</returns>
    public virtual bool TryParseWholeMessage(string message, List<FunctionCallContent> calls)
    {
        List<JsonElement>? values = ToolCallJson.ReadValues(ToolCallJson.StripFence(message), ';', out _);
        return values is not null && ToolCallJson.TryReadCalls(values, ["arguments", "parameters"], requireArguments: true, calls, out _);
    }

    /// <summary>Builds the JSON schema of one call object that names one of <paramref name="functions"/> and carries that
    /// function's arguments: <c>{"type": "object", "properties": {"name": {"enum": [name]}, ArgumentsKey: parameters},
    /// "required": ["name", ArgumentsKey], "additionalProperties": false}</c>, wrapped in <c>{"anyOf": [...]}</c> when there
    /// are several functions so each name pairs with its own parameter schema.</summary>
    /// <param name="functions">The functions a call may name (one for <see cref="RequiredChatToolMode.RequiredFunctionName"/>).</param>
    /// <returns>A new schema node.</returns>
    /// <exception cref="ArgumentException"><paramref name="functions"/> is empty.</exception>
    public JsonObject BuildCallSchema(IEnumerable<AIFunctionDeclaration> functions)
    {
        ArgumentNullException.ThrowIfNull(functions);
        var alternatives = new List<JsonObject>();
        foreach (AIFunctionDeclaration function in functions)
        {
            JsonNode parameters = function.JsonSchema.ValueKind == JsonValueKind.Object
                ? JsonNode.Parse(function.JsonSchema.GetRawText())!
                : new JsonObject { ["type"] = "object" };
            alternatives.Add(new JsonObject
            {
                ["type"] = "object",
                ["properties"] = new JsonObject
                {
                    ["name"] = new JsonObject { ["enum"] = new JsonArray(JsonValue.Create(function.Name)) },
                    [ArgumentsKey] = parameters,
                },
                ["required"] = new JsonArray("name", ArgumentsKey),
                ["additionalProperties"] = false,
            });
        }

        if (alternatives.Count == 0)
        {
            throw new ArgumentException("At least one function is needed to build a tool-call schema.", nameof(functions));
        }

        return alternatives.Count == 1 ? alternatives[0] : new JsonObject { ["anyOf"] = new JsonArray([.. alternatives]) };
    }

    /// <summary>Builds the schema of the whole payload between <see cref="CallPrefix"/> and <see cref="CallSuffix"/>: the call
    /// schema, or an array of one or more such calls when <see cref="PayloadIsArray"/>.</summary>
    /// <param name="functions">The functions a call may name.</param>
    /// <returns>A new schema node.</returns>
    public JsonObject BuildPayloadSchema(IEnumerable<AIFunctionDeclaration> functions)
    {
        JsonObject call = BuildCallSchema(functions);
        return PayloadIsArray ? new JsonObject { ["type"] = "array", ["items"] = call, ["minItems"] = 1 } : call;
    }

    /// <summary>Parses JSON call objects (one, several, or arrays) with the given arguments keys.</summary>
    protected static bool TryParseJsonCalls(string payload, char separator, string[] argumentsKeys, List<FunctionCallContent> calls, out string? error)
    {
        List<JsonElement>? values = ToolCallJson.ReadValues(ToolCallJson.StripFence(payload), separator, out error);
        return values is not null && ToolCallJson.TryReadCalls(values, argumentsKeys, requireArguments: false, calls, out error);
    }
}
