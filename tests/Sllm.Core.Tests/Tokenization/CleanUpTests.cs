using System.Text;
using Sllm.Tokenization.Text;

namespace Sllm.Tests.Tokenization;

/// <summary>The in-place cleanup rewrite equals the rule-by-rule string rewrite.</summary>
public sealed class CleanUpTests
{
    [Fact]
    public void InPlace_Rewrite_Equals_String_Rewrite()
    {
        string[] parts = [" ", "  ", ".", "?", "!", ",", "'", " '", " ' ", "n't", " n't", "m", "s", "ve", "re", "a", "n", "t"];
        var random = new Random(7);
        var sb = new StringBuilder();
        for (int i = 0; i < 5000; i++)
        {
            sb.Clear();
            for (int k = random.Next(0, 12); k > 0; k--)
            {
                sb.Append(parts[random.Next(parts.Length)]);
            }

            string text = sb.ToString();
            char[] buffer = text.ToCharArray();
            int length = CleanUp.Apply(buffer, buffer.Length);
            Assert.Equal(ReferenceApply(text), new string(buffer, 0, length));
            Assert.Equal(ReferenceApply(text), CleanUp.Apply(text));
            Assert.Equal(CleanUp.PendingSuffixLengthFromRules(text), CleanUp.PendingSuffixLength(text));
        }
    }

    private static string ReferenceApply(string text) => text.Replace(" .", ".").Replace(" ?", "?").Replace(" !", "!")
        .Replace(" ,", ",").Replace(" ' ", "'").Replace(" n't", "n't").Replace(" 'm", "'m").Replace(" 's", "'s")
        .Replace(" 've", "'ve").Replace(" 're", "'re");
}
