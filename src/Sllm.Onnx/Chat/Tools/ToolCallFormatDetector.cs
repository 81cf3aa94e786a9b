namespace Sllm.Onnx;

/// <summary>Picks a model's tool-call format from its chat template text and its tokenizer's added tokens.</summary>
/// <remarks>
/// Checked in order, first match wins: <c>[TOOL_CALLS]</c> → Mistral; <c>&lt;tool_call&gt;</c> → Hermes (before Llama, since
/// Hermes-3 is a Llama 3.1 fine-tune whose tokenizer still has <c>&lt;|python_tag|&gt;</c>); <c>&lt;|tool_call|&gt;</c>, or a
/// template with Phi-4-mini's <c>&lt;|tool|&gt;</c> → Phi-4-mini; <c>&lt;|python_tag|&gt;</c>, or a Llama 3 template
/// (<c>&lt;|start_header_id|&gt;</c>) that asks for <c>"parameters"</c> → Llama 3; else the generic JSON fallback.
/// </remarks>
internal static class ToolCallFormatDetector
{
    public static ToolCallFormat Detect(string? template, IEnumerable<string> addedTokens)
    {
        ArgumentNullException.ThrowIfNull(addedTokens);
        var tokens = new HashSet<string>(addedTokens, StringComparer.Ordinal);
        template ??= string.Empty;
        if (Has(template, tokens, "[TOOL_CALLS]"))
        {
            return ToolCallFormat.Mistral;
        }

        if (Has(template, tokens, "<tool_call>"))
        {
            return ToolCallFormat.Hermes;
        }

        if (Has(template, tokens, "<|tool_call|>") || template.Contains("<|tool|>", StringComparison.Ordinal))
        {
            return ToolCallFormat.Phi4Mini;
        }

        if (Has(template, tokens, "<|python_tag|>")
            || (template.Contains("<|start_header_id|>", StringComparison.Ordinal) && template.Contains("\"parameters\"", StringComparison.Ordinal)))
        {
            return ToolCallFormat.Llama3;
        }

        return ToolCallFormat.Json;
    }

    private static bool Has(string template, HashSet<string> tokens, string marker) =>
        tokens.Contains(marker) || template.Contains(marker, StringComparison.Ordinal);
}
