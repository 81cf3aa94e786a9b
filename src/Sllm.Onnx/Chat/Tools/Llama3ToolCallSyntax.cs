using Microsoft.Extensions.AI;

namespace Sllm.Onnx;

/// <summary>Llama 3.1 / 3.2 custom tools: the message is <c>{"name": ..., "parameters": {...}}</c> (the templates'
/// instruction), optionally after <c>&lt;|python_tag|&gt;</c>; several calls are separated by <c>;</c>.</summary>
/// <remarks>Llama 3.1's built-in tools (<c>&lt;|python_tag|&gt;brave_search.call(query="...")</c>) are Python, not JSON, and
/// come back as text.</remarks>
internal sealed class Llama3ToolCallSyntax : ToolCallSyntax
{
    private static readonly string[] Keys = ["parameters", "arguments"];

    public override ToolCallFormat Format => ToolCallFormat.Llama3;

    public override string CallPrefix => string.Empty;

    public override string CallSuffix => string.Empty;

    public override bool PayloadIsArray => false;

    public override string ArgumentsKey => "parameters";

    public override string OpenMarker => "<|python_tag|>";

    public override bool WholeMessageJson => true;

    public override bool TryParsePayload(string payload, List<FunctionCallContent> calls, out string? error) =>
        TryParseJsonCalls(payload, ';', Keys, calls, out error);
}
