using System.Text;
using Sllm.Tokenization;
using Sllm.Tokenization.PreTokenizers;
using Sllm.Tokenization.Text;

namespace Sllm.Tests.Tokenization;

/// <summary>Builds tokenizers from inline JSON documents written by the tests.</summary>
internal static class InlineTokenizer
{
    public static HuggingFaceTokenizer Create(string tokenizerJson, string? configJson = null)
    {
        using var tokenizer = new MemoryStream(Encoding.UTF8.GetBytes(tokenizerJson));
        using MemoryStream? config = configJson is null ? null : new MemoryStream(Encoding.UTF8.GetBytes(configJson));
        return HuggingFaceTokenizer.Create(tokenizer, config, null, null);
    }

    /// <summary>A complete tokenizer.json around the given component JSON fragments.</summary>
    public static string Document(string model, string normalizer = "null", string preTokenizer = "null", string postProcessor = "null",
        string decoder = "null", string addedTokens = "[]") =>
        $$"""
        {"version": "1.0", "truncation": null, "padding": null, "added_tokens": {{addedTokens}},
         "normalizer": {{normalizer}}, "pre_tokenizer": {{preTokenizer}}, "post_processor": {{postProcessor}},
         "decoder": {{decoder}}, "model": {{model}}}
        """;

    public static string[] Pieces(TextPreTokenizer preTokenizer, string text, int sectionIndex = 0)
    {
        using var pieces = new PieceList();
        preTokenizer.PreTokenize(text, pieces, sectionIndex);
        var result = new string[pieces.Count];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = pieces[i].ToString();
        }

        return result;
    }

    public static string[] Tokens(HuggingFaceTokenizer tokenizer, string text, bool addSpecialTokens = true) =>
        [.. tokenizer.EncodeToTokens(text, addSpecialTokens).Select(t => t.Value)];
}
