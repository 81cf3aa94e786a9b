using Sllm.Tokenization.Text;

namespace Sllm.Tokenization.Decoders;

/// <summary>CTC: collapses repeats, drops the pad (blank) token, optional cleanup with the word delimiter → space.</summary>
internal sealed class CtcDecoder(string padToken, string wordDelimiter, bool cleanup) : TokenDecoder
{
    public override List<string> DecodeChain(List<string> tokens)
    {
        var kept = new System.Text.StringBuilder();
        string? previous = null;
        foreach (string token in tokens)
        {
            if (!string.Equals(token, previous, StringComparison.Ordinal) && !string.Equals(token, padToken, StringComparison.Ordinal))
            {
                kept.Append(token);
            }

            previous = token;
        }

        string text = kept.ToString();
        if (cleanup)
        {
            text = JsText.Trim(CleanUp.Apply(text).Replace(wordDelimiter, " ", StringComparison.Ordinal));
        }

        return [text];
    }
}
