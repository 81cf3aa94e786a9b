using Sllm.Tokenization.Text;

namespace Sllm.Tokenization.Normalizers;

/// <summary>Trims whitespace on the left and/or right.</summary>
internal sealed class StripNormalizer(bool left, bool right) : TextNormalizer
{
    public override string Normalize(string text)
    {
        if (left)
        {
            text = JsText.TrimStart(text);
        }

        return right ? JsText.TrimEnd(text) : text;
    }
}
