using Sllm.Tokenization.Text;

namespace Sllm.Tokenization.Normalizers;

/// <summary>Removes combining marks (meant to follow NFD/NFKD).</summary>
internal sealed class StripAccentsNormalizer : TextNormalizer
{
    public override string Normalize(string text) => JsText.RemoveMarks(text, nonSpacingOnly: false);
}
