using System.Text;
using Sllm.Tokenization.PreTokenizers;
using Sllm.Tokenization.Text;

namespace Sllm.Tests.Tokenization;

/// <summary>The hand-written split matchers give exactly the regex's matches.</summary>
public sealed class SplitPatternMatcherTests
{
    private static readonly string[] Alphabet =
    [
        "a", "Z", "s", "S", "t", "T", "r", "R", "e", "E", "v", "l", "L", "m", "d", "D", "'", "'", "é", "e\u0301", "\u0301",
        "1", "9", "\u0663", "\u00bd", "\u2167", " ", " ", "  ", "\t", "\r", "\n", "\r\n", "\u00a0", "\u3000", "\ufeff",
        "\u0085", "\u2028", "\u200b", "!", ".", "-", "(", "$", "\U0001D518", "\U0001D7D9", "\U0001F917", "\U00020000",
        "\ud800", "\udc00", "中", "\u01c5", "\u02b0", "ſ", "K", "\u0130", "\u00df", "_", "\v", "\f",
    ];

    public static TheoryData<string> Patterns => new() { SplitPatternMatcher.Llama3Pattern, SplitPatternMatcher.Qwen2Pattern };

    [Theory]
    [MemberData(nameof(Patterns))]
    public void Standard_Patterns_Match_The_Regex_On_Random_Text(string pattern)
    {
        PatternRegex fast = PatternRegex.FromOniguruma(pattern);
        PatternRegex regex = PatternRegex.FromOnigurumaRegexOnly(pattern);
        Assert.NotNull(fast.Matcher);
        Assert.Null(regex.Matcher);
        foreach (string text in Inputs(seed: pattern.Length))
        {
            Assert.Equal(Matches(regex, text), Matches(fast, text));
        }
    }

    [Fact]
    public void Gpt2_Matcher_Matches_The_Gpt2_Regex_On_Random_Text()
    {
        PatternRegex regex = ByteLevelPreTokenizer.Gpt2Regex.Value;
        foreach (string text in Inputs(seed: 2))
        {
            var expected = new List<(int, int)>();
            regex.Matches(text, expected);
            var actual = new List<(int, int)>();
            SplitPatternMatcher.Gpt2.Matches(text, actual);
            Assert.Equal(Describe(text, expected), Describe(text, actual));
        }
    }

    [Fact]
    public void Unknown_Patterns_Keep_The_Regex()
    {
        Assert.Null(PatternRegex.FromOniguruma(@"\s+").Matcher);
        Assert.Null(SplitPatternMatcher.ForPattern(SplitPatternMatcher.Llama3Pattern + "|x"));
    }

    private static IEnumerable<string> Inputs(int seed)
    {
        yield return string.Empty;
        yield return "It's 'RE 'Ll 'sup we'VE I'M";
        yield return "a \r\n\r\n  b \n  \t c   \r  ";
        yield return "123456 ١٢٣٤ ½⅓ 𝟙𝟚𝟛𝟜𝟝";
        yield return "  !!  ??\r\n\r\n(𝔘𝔫𝔦)🤗🤗 \ud800x\udc00 ";
        yield return "e\u0301\u0301 \u0301a \ufeffb\u0085c\u00a0d\u3000\u3000e";
        var random = new Random(seed);
        var sb = new StringBuilder();
        for (int n = 0; n < 4000; n++)
        {
            sb.Clear();
            int length = random.Next(1, 24);
            for (int k = 0; k < length; k++)
            {
                sb.Append(Alphabet[random.Next(Alphabet.Length)]);
            }

            yield return sb.ToString();
        }
    }

    private static string Matches(PatternRegex pattern, string text)
    {
        var matches = new List<(int Start, int Length)>();
        pattern.Matches(text, matches);
        return Describe(text, matches);
    }

    private static string Describe(string text, List<(int Start, int Length)> matches)
    {
        var sb = new StringBuilder(Uri.EscapeDataString(text.Replace("\ud800", "<D800>").Replace("\udc00", "<DC00>"))).Append(" => ");
        foreach ((int start, int length) in matches)
        {
            sb.Append('[').Append(start).Append(',').Append(length).Append(']');
        }

        return sb.ToString();
    }
}
