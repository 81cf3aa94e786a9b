using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Sllm.Onnx;

/// <summary>Mistral: <c>[TOOL_CALLS][{"name": ..., "arguments": {...}, "id"?: ...}, ...]</c> (v0.3, Nemo), or the newer
/// <c>[TOOL_CALLS]name[ARGS]{...}</c> (Small 3.2, optionally with <c>[CALL_ID]id</c> before <c>[ARGS]</c>), repeated per call.
/// A call runs to the end of the message.</summary>
internal sealed class MistralToolCallSyntax : ToolCallSyntax
{
    private const string Args = "[ARGS]";
    private const string CallIdMarker = "[CALL_ID]";
    private static readonly string[] Keys = ["arguments", "parameters"];

    public override ToolCallFormat Format => ToolCallFormat.Mistral;

    public override string CallPrefix => "[TOOL_CALLS]";

    public override string CallSuffix => string.Empty;

    public override bool PayloadIsArray => true;

    public override string OpenMarker => "[TOOL_CALLS]";

    public override IEnumerable<string> MarkerTokens => [OpenMarker, Args, CallIdMarker];

    public override bool TryParsePayload(string payload, List<FunctionCallContent> calls, out string? error)
    {
        int start = calls.Count;
        foreach (string part in payload.Split(OpenMarker, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            bool ok = part[0] is '[' or '{'
                ? TryParseJsonCalls(part, ',', Keys, calls, out error)
                : TryParseNamed(part, calls, out error);
            if (!ok)
            {
                calls.RemoveRange(start, calls.Count - start);
                return false;
            }
        }

        error = calls.Count > start ? null : "no call after [TOOL_CALLS]";
        return error is null;
    }

    private static bool TryParseNamed(string part, List<FunctionCallContent> calls, out string? error)
    {
        int args = part.IndexOf(Args, StringComparison.Ordinal);
        if (args <= 0)
        {
            error = "a call name without [ARGS]";
            return false;
        }

        string name = part[..args].Trim();
        string? callId = null;
        int idAt = name.IndexOf(CallIdMarker, StringComparison.Ordinal);
        if (idAt >= 0)
        {
            callId = name[(idAt + CallIdMarker.Length)..].Trim();
            name = name[..idAt].Trim();
        }

        string arguments = part[(args + Args.Length)..];
        var wrapped = new Dictionary<string, object?>(StringComparer.Ordinal);
        List<JsonElement>? values = ToolCallJson.ReadValues(arguments, ',', out error);
        if (name.Length == 0 || name.Contains(' ', StringComparison.Ordinal) || values is not [{ ValueKind: JsonValueKind.Object } value])
        {
            error ??= $"'{name}' is not followed by one JSON object of arguments";
            return false;
        }

        foreach (JsonProperty property in value.EnumerateObject())
        {
            wrapped[property.Name] = property.Value.Clone();
        }

        calls.Add(new FunctionCallContent(string.IsNullOrEmpty(callId) ? ToolCallJson.NewCallId() : callId, name, wrapped));
        return true;
    }
}
