using Sllm.Tokenization;

namespace Sllm.Tests.Tokenization;

public sealed class AddedTokenTests
{
    private static HuggingFaceTokenizer Create(string added, string normalizer = "null") => InlineTokenizer.Create(InlineTokenizer.Document(
        model: """{"type": "BPE", "unk_token": "?", "vocab": {"?": 0, "a": 1, "b": 2, " ": 3, "x": 4, "<t>": 5, "c": 6, "A": 7}, "merges": []}""",
        normalizer: normalizer,
        decoder: """{"type": "Fuse"}""",
        addedTokens: added));

    private static string Token(int id, string content, bool special = false, bool lstrip = false, bool rstrip = false, bool singleWord = false, bool normalized = false) =>
        $$"""{"id": {{id}}, "content": "{{content}}", "special": {{B(special)}}, "lstrip": {{B(lstrip)}}, "rstrip": {{B(rstrip)}}, "single_word": {{B(singleWord)}}, "normalized": {{B(normalized)}}}""";

    private static string B(bool value) => value ? "true" : "false";

    [Fact]
    public void Added_Tokens_Split_The_Text_Longest_First()
    {
        HuggingFaceTokenizer t = Create($"[{Token(10, "<t>")}, {Token(11, "<t><t>")}]");
        Assert.Equal([1, 11, 10, 2], t.EncodeToIds("a<t><t><t>b", addSpecialTokens: false));
    }

    [Fact]
    public void Lstrip_And_Rstrip_Remove_Neighbouring_Whitespace()
    {
        Assert.Equal([1, 10, 3, 2], Create($"[{Token(10, "<t>", lstrip: true)}]").EncodeToIds("a  <t> b", addSpecialTokens: false));
        Assert.Equal([1, 3, 3, 10, 2], Create($"[{Token(10, "<t>", rstrip: true)}]").EncodeToIds("a  <t> b", addSpecialTokens: false));
    }

    [Fact]
    public void Single_Word_Only_Matches_Between_Non_Word_Characters()
    {
        HuggingFaceTokenizer t = Create($"[{Token(10, "ab", singleWord: true)}]");
        Assert.Equal([10, 3, 6, 1, 2], t.EncodeToIds("ab cab", addSpecialTokens: false));
    }

    [Fact]
    public void Normalized_Tokens_Match_The_Normalized_Text()
    {
        const string lower = """{"type": "Lowercase"}""";
        Assert.Equal([1, 10], Create($"[{Token(10, "c", normalized: true)}]", lower).EncodeToIds("AC", addSpecialTokens: false));
        // A non-normalized token matches the raw text only: "C" is not "c".
        Assert.Equal([1, 6], Create($"[{Token(10, "C", normalized: false)}]", lower).EncodeToIds("Ac", addSpecialTokens: false));
    }

    [Fact]
    public void Skip_Special_Tokens_Removes_Only_Special_Ones()
    {
        HuggingFaceTokenizer t = Create($"[{Token(10, "<s>", special: true)}, {Token(11, "<n>")}]");
        int[] ids = [10, 1, 11, 2];
        Assert.Equal("<s>a<n>b", t.Decode(ids, skipSpecialTokens: false));
        Assert.Equal("a<n>b", t.Decode(ids, skipSpecialTokens: true));
        Assert.Equal([10], t.SpecialTokenIds);
    }

    [Fact]
    public void Clean_Up_Tokenization_Spaces_Follows_The_Config()
    {
        string doc = InlineTokenizer.Document(
            model: """{"type": "BPE", "unk_token": "?", "vocab": {"?": 0, "a": 1, "b": 2, " ": 3, ".": 4, "'s": 5, "n't": 6}, "merges": []}""",
            decoder: """{"type": "Fuse"}""");
        int[] ids = [1, 3, 4, 3, 5, 3, 6];
        Assert.Equal("a.'sn't", InlineTokenizer.Create(doc, """{"clean_up_tokenization_spaces": true}""").Decode(ids));
        Assert.Equal("a . 's n't", InlineTokenizer.Create(doc, """{"clean_up_tokenization_spaces": false}""").Decode(ids));
    }
}
