using Microsoft.Extensions.Logging;
using Sllm.Tokenization;

namespace Sllm.Onnx;

/// <summary>A client's tool-call setup: the syntax it parses and the marker tokens its decoder must not drop.</summary>
/// <remarks>Immutable once built; shared by all requests of a client.</remarks>
internal sealed class ToolCallSupport
{
    private readonly Dictionary<int, string> markerTokens = [];

    public ToolCallSupport(ToolCallSyntax syntax, HuggingFaceTokenizer tokenizer)
    {
        Syntax = syntax;

        // Markers that are special tokens (Llama's <|python_tag|>, Phi-4's <|tool_call|>, Mistral's [TOOL_CALLS]) vanish
        // from text decoded with special tokens skipped; the chat stream decodes that way, so it asks here for their text.
        foreach (string marker in syntax.MarkerTokens)
        {
            if (tokenizer.TokenToId(marker) is int id && tokenizer.Decode([id], skipSpecialTokens: true).Length == 0)
            {
                markerTokens[id] = marker;
            }
        }
    }

    public ToolCallSyntax Syntax { get; }

    /// <summary>Returns the marker text of a token the skipping decoder would drop, or <see langword="null"/>.</summary>
    public string? MarkerText(int tokenId) => markerTokens.Count > 0 && markerTokens.TryGetValue(tokenId, out string? text) ? text : null;

    public ToolCallStreamFilter CreateFilter(ILogger logger) => new(Syntax, logger);

    public static ToolCallSupport Create(OnnxModel model, ToolCallFormat? configured)
    {
        HuggingFaceTokenizer tokenizer = model.Tokenizer!;
        ToolCallFormat format = configured ?? ToolCallFormatDetector.Detect(
            model.ChatTemplate?.ToolUseVariant?.Source + model.ChatTemplate?.Source,
            tokenizer.AddedTokens.Select(static t => t.Content));
        return new ToolCallSupport(ToolCallSyntax.For(format), tokenizer);
    }
}
