using System.Text;
using Sllm.Tokenization.Text;

namespace Sllm.Tokenization.Normalizers;

/// <summary>NFC, NFD, NFKC or NFKD.</summary>
internal sealed class UnicodeFormNormalizer(NormalizationForm form) : TextNormalizer
{
    public NormalizationForm Form { get; } = form;

    public override string Normalize(string text) => JsText.Normalize(text, Form);

    public override bool LeavesUnchanged(ReadOnlySpan<char> text) =>
        System.Text.Ascii.IsValid(text) || (Form == NormalizationForm.FormC && NfcQuickCheck.IsCertainlyNfc(text));
}
