using System.Text;
using Sllm.Tokenization.Text;

namespace Sllm.Tests.Tokenization;

/// <summary>The NFC quick check never calls a non-NFC text NFC.</summary>
public sealed class NfcQuickCheckTests
{
    [Fact]
    public void Quick_Check_Agrees_With_Icu()
    {
        string[] parts =
        [
            "a", "e", "\u0301", "\u0327", "é", "中", "日本", "\u1100", "\u1161", "\u11a8", "\uac00", "\u2126", "\u212b",
            "\u2000", "\uf900", "\u0958", "\u3099", "\u304b", "\u0b3e", "\u0b47", "\u1b35", "\u0374", "\u037e", " ", "\u00c5", "Ω",
        ];
        var random = new Random(5);
        var sb = new StringBuilder();
        for (int i = 0; i < 5000; i++)
        {
            sb.Clear();
            for (int k = random.Next(1, 8); k > 0; k--)
            {
                sb.Append(parts[random.Next(parts.Length)]);
            }

            string text = sb.ToString();
            if (NfcQuickCheck.IsCertainlyNfc(text))
            {
                Assert.True(text.IsNormalized(NormalizationForm.FormC), Uri.EscapeDataString(text));
            }

            Assert.Equal(text.Normalize(NormalizationForm.FormC), JsText.Normalize(text, NormalizationForm.FormC));
        }
    }
}
