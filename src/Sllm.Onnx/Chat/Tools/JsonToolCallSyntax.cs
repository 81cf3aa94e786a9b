using Microsoft.Extensions.AI;

namespace Sllm.Onnx;

/// <summary>The fallback for models with no tool-call markup of their own: a message that is a JSON call object (<c>name</c>
/// plus <c>arguments</c> or <c>parameters</c>), several of them, or an array of them, optionally in a <c>```json</c> fence.</summary>
internal sealed class JsonToolCallSyntax : ToolCallSyntax
{
    public override ToolCallFormat Format => ToolCallFormat.Json;

    public override string CallPrefix => string.Empty;

    public override string CallSuffix => string.Empty;

    public override bool PayloadIsArray => false;

    public override string? OpenMarker => null;

    public override bool WholeMessageJson => true;

    public override bool TryParsePayload(string payload, List<FunctionCallContent> calls, out string? error)
    {
        error = TryParseWholeMessage(payload, calls) ? null : "not a JSON call object";
        return error is null;
    }
}
