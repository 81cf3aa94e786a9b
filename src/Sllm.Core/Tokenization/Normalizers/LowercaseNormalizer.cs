using Sllm.Tokenization.Text;

namespace Sllm.Tokenization.Normalizers;

/// <summary>Full Unicode lower-casing.</summary>
internal sealed class LowercaseNormalizer : TextNormalizer
{
    public override string Normalize(string text) => JsText.ToLower(text);
}
