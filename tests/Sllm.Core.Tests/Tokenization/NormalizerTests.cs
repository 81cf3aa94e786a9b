using System.Text;
using Sllm.Tokenization.Normalizers;
using Sllm.Tokenization.Text;

namespace Sllm.Tests.Tokenization;

public sealed class NormalizerTests
{
    [Fact]
    public void Unicode_Forms()
    {
        Assert.Equal("\u00e9", new UnicodeFormNormalizer(NormalizationForm.FormC).Normalize("e\u0301"));
        Assert.Equal("e\u0301", new UnicodeFormNormalizer(NormalizationForm.FormD).Normalize("\u00e9"));
        Assert.Equal("fi1", new UnicodeFormNormalizer(NormalizationForm.FormKC).Normalize("\ufb01\u2460"));
        Assert.Equal("e\u03011", new UnicodeFormNormalizer(NormalizationForm.FormKD).Normalize("\u00e9\u2460"));
        // A lone surrogate must not throw (JavaScript leaves it alone).
        Assert.Equal("\u00e9\ud800x", new UnicodeFormNormalizer(NormalizationForm.FormC).Normalize("e\u0301\ud800x"));
    }

    [Fact]
    public void Lowercase_Is_Full_Unicode()
    {
        Assert.Equal("hello σοφός", new LowercaseNormalizer().Normalize("HELLO ΣΟΦΌΣ"));
        Assert.Equal("i\u0307", new LowercaseNormalizer().Normalize("\u0130"));
    }

    [Fact]
    public void Strip_StripAccents_Prepend()
    {
        Assert.Equal("a b", new StripNormalizer(true, true).Normalize(" \t a b\n "));
        Assert.Equal("a b\n ", new StripNormalizer(true, false).Normalize(" \t a b\n "));
        Assert.Equal("cafe", new StripAccentsNormalizer().Normalize("cafe\u0301"));
        Assert.Equal("▁hi", new PrependNormalizer("▁").Normalize("hi"));
    }

    [Fact]
    public void Replace_String_And_Regex_In_Sequence()
    {
        var sequence = new SequenceNormalizer([
            new ReplaceNormalizer(" ", null, "▁"),
            new ReplaceNormalizer(null, PatternRegex.FromOniguruma(@"\d+"), "#"),
        ]);
        Assert.Equal("a▁#▁b#", sequence.Normalize("a 123 b4"));
    }

    [Fact]
    public void Bert_Normalizer_Cleans_Spaces_Chinese_And_Lowercases()
    {
        var bert = new BertNormalizer(cleanText: true, handleChineseChars: true, stripAccents: null, lowercase: true);
        Assert.Equal("a b  中 x", bert.Normalize("A\u0000\tB\u200b 中x"));
        Assert.Equal("cafe", bert.Normalize("Café"));
        Assert.Equal("Café", new BertNormalizer(true, true, stripAccents: false, lowercase: false).Normalize("Café"));
    }
}
