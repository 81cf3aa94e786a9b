using Microsoft.Extensions.AI;

namespace Sllm.Onnx;

/// <summary>Hermes / Qwen 2.5 / Qwen 3 / SmolLM3: <c>&lt;tool_call&gt;\n{"name": ..., "arguments": {...}}\n&lt;/tool_call&gt;</c>,
/// one block per call.</summary>
internal sealed class HermesToolCallSyntax : ToolCallSyntax
{
    private static readonly string[] Keys = ["arguments", "parameters"];

    public override ToolCallFormat Format => ToolCallFormat.Hermes;

    public override string CallPrefix => "<tool_call>\n";

    public override string CallSuffix => "\n</tool_call>";

    public override bool PayloadIsArray => false;

    public override string OpenMarker => "<tool_call>";

    public override string CloseMarker => "</tool_call>";

    public override bool TryParsePayload(string payload, List<FunctionCallContent> calls, out string? error) =>
        TryParseJsonCalls(payload, ',', Keys, calls, out error);
}
