using System.Buffers;
using Microsoft.ML.Tokenizers;
using Sllm.Tokenization;

namespace Sllm.Tests.Tokenization;

public sealed class TokenizerApiTests
{
    private static HuggingFaceTokenizer Create() => InlineTokenizer.Create(
        InlineTokenizer.Document(
            model: """{"type": "BPE", "vocab": {"<s>": 0, "a": 1, "b": 2, "ab": 3}, "merges": ["a b"]}""",
            postProcessor: """{"type": "TemplateProcessing", "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}], "pair": [], "special_tokens": {}}""",
            decoder: """{"type": "Fuse"}""",
            addedTokens: """[{"id": 0, "content": "<s>", "special": true, "normalized": false, "lstrip": false, "rstrip": false, "single_word": false}]"""),
        """{"bos_token": {"__type": "AddedToken", "content": "<s>"}, "eos_token": "<s>"}""");

    [Fact]
    public void Base_Api_Adds_Special_Tokens_Like_Transformers_Encode()
    {
        Tokenizer tokenizer = Create();
        Assert.Equal([0, 3, 1], tokenizer.EncodeToIds("aba"));
        Assert.Equal(3, tokenizer.CountTokens("aba"));
        Assert.Equal(["<s>", "ab", "a"], tokenizer.EncodeToTokens("aba", out _).Select(t => t.Value));
        Assert.Equal("<s>aba", tokenizer.Decode([0, 3, 1]));
    }

    [Fact]
    public void Span_Decode_Reports_Destination_Too_Small()
    {
        Tokenizer tokenizer = Create();
        Span<char> small = stackalloc char[4];
        Assert.Equal(OperationStatus.DestinationTooSmall, tokenizer.Decode([0, 3, 1], small, out int consumed, out int written));
        Assert.Equal(1, consumed);
        Assert.Equal(3, written);
        Span<char> big = stackalloc char[16];
        Assert.Equal(OperationStatus.Done, tokenizer.Decode([0, 3, 1], big, out consumed, out written));
        Assert.Equal("<s>aba", big[..written].ToString());
    }

    [Fact]
    public void Special_Tokens_From_AddedToken_Objects_In_Config()
    {
        HuggingFaceTokenizer tokenizer = Create();
        Assert.Equal("<s>", tokenizer.BosToken);
        Assert.Equal(0, tokenizer.BosTokenId);
        Assert.Equal(0, tokenizer.EosTokenId);
        Assert.Null(tokenizer.PadToken);
        Assert.Null(tokenizer.SpecialToken("mask_token"));
        Assert.Equal(4, tokenizer.VocabularySize);
    }

    [Fact]
    public void Index_By_Token_Count_Is_Supported()
    {
        Tokenizer tokenizer = Create();
        int index = tokenizer.GetIndexByTokenCount("aba", 1, out string? normalized, out int count);
        Assert.Null(normalized);
        Assert.InRange(count, 0, 1);
        Assert.InRange(index, 0, 3);
    }

    [Fact]
    public void Tokenizer_Is_Safe_To_Use_From_Many_Threads()
    {
        HuggingFaceTokenizer tokenizer = Create();
        Parallel.For(0, 64, i =>
        {
            string text = new string('a', i % 7) + "b";
            Assert.Equal(tokenizer.EncodeToIds(text, addSpecialTokens: false), tokenizer.EncodeToIds(text, addSpecialTokens: false));
        });
    }
}
