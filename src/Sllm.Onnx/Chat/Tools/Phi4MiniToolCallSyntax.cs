using Microsoft.Extensions.AI;

namespace Sllm.Onnx;

/// <summary>Phi-4-mini: <c>&lt;|tool_call|&gt;[{"name": ..., "arguments": {...}}]&lt;|/tool_call|&gt;</c>. Granite 3.x writes
/// the same opening tag with no closing one, which parses too (the call runs to the end of the message).</summary>
internal sealed class Phi4MiniToolCallSyntax : ToolCallSyntax
{
    private static readonly string[] Keys = ["arguments", "parameters"];

    public override ToolCallFormat Format => ToolCallFormat.Phi4Mini;

    public override string CallPrefix => "<|tool_call|>";

    public override string CallSuffix => "<|/tool_call|>";

    public override bool PayloadIsArray => true;

    public override string OpenMarker => "<|tool_call|>";

    public override string CloseMarker => "<|/tool_call|>";

    public override bool TryParsePayload(string payload, List<FunctionCallContent> calls, out string? error) =>
        TryParseJsonCalls(payload, ',', Keys, calls, out error);
}
