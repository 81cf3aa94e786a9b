using Sllm.Tokenization;

namespace Sllm.Tests.Tokenization;

public sealed class WordPieceTests
{
    private const string Vocab = """
        {"[PAD]": 0, "[UNK]": 1, "[CLS]": 2, "[SEP]": 3, "hello": 4, "world": 5, "##s": 6, "cafe": 7, "un": 8,
         "##aff": 9, "##able": 10, ",": 11, "!": 12, "中": 13, "文": 14}
        """;

    private const string Added = """
        [{"id": 0, "content": "[PAD]", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
         {"id": 1, "content": "[UNK]", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
         {"id": 2, "content": "[CLS]", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
         {"id": 3, "content": "[SEP]", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true}]
        """;

    private static HuggingFaceTokenizer Bert(int maxChars = 100, string post = """{"type": "BertProcessing", "sep": ["[SEP]", 3], "cls": ["[CLS]", 2]}""") =>
        InlineTokenizer.Create(InlineTokenizer.Document(
            model: $$"""{"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##", "max_input_chars_per_word": {{maxChars}}, "vocab": {{Vocab}}}""",
            normalizer: """{"type": "BertNormalizer", "clean_text": true, "handle_chinese_chars": true, "strip_accents": null, "lowercase": true}""",
            preTokenizer: """{"type": "BertPreTokenizer"}""",
            postProcessor: post,
            decoder: """{"type": "WordPiece", "prefix": "##", "cleanup": true}""",
            addedTokens: Added));

    [Fact]
    public void Bert_Lowercases_Strips_Accents_Splits_Pieces_And_Adds_Cls_Sep()
    {
        HuggingFaceTokenizer tokenizer = Bert();
        Assert.Equal([2, 4, 11, 5, 6, 12, 7, 8, 9, 10, 1, 13, 14, 3], tokenizer.EncodeToIds("Hello, WORLDS! Café unaffable xyz中文", addSpecialTokens: true));
        Assert.Equal(["hello", ",", "world", "##s", "!"], InlineTokenizer.Tokens(tokenizer, "Hello, WORLDS!", addSpecialTokens: false));
    }

    [Fact]
    public void Bert_Decode_Joins_Pieces_And_Cleans_Up()
    {
        HuggingFaceTokenizer tokenizer = Bert();
        int[] ids = [2, 4, 11, 5, 6, 12, 7, 8, 9, 10, 1, 3];
        Assert.Equal("[CLS] hello, worlds! cafe unaffable [UNK] [SEP]", tokenizer.Decode(ids, skipSpecialTokens: false));
        Assert.Equal("hello, worlds! cafe unaffable", tokenizer.Decode(ids, skipSpecialTokens: true));
    }

    [Fact]
    public void Word_Longer_Than_Max_Chars_Is_Unknown()
    {
        HuggingFaceTokenizer tokenizer = Bert(maxChars: 5);
        Assert.Equal([1, 4], tokenizer.EncodeToIds("unaffable hello", addSpecialTokens: false));
    }

    [Fact]
    public void Template_Processing_Adds_Specials_Only_When_Asked()
    {
        HuggingFaceTokenizer tokenizer = Bert(post: """
            {"type": "TemplateProcessing", "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "[SEP]", "type_id": 0}}],
             "pair": [], "special_tokens": {"[CLS]": {"id": "[CLS]", "ids": [2], "tokens": ["[CLS]"]}, "[SEP]": {"id": "[SEP]", "ids": [3], "tokens": ["[SEP]"]}}}
            """);
        Assert.Equal([2, 4, 3], tokenizer.EncodeToIds("hello", addSpecialTokens: true));
        Assert.Equal([4], tokenizer.EncodeToIds("hello", addSpecialTokens: false));
        Assert.Equal(3, tokenizer.CountTokens("hello", addSpecialTokens: true));
    }
}
