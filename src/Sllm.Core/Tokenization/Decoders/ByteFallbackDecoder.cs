using System.Globalization;
using System.Text;

namespace Sllm.Tokenization.Decoders;

/// <summary>Turns runs of <c>&lt;0xXX&gt;</c> tokens into the UTF-8 text they encode (U+FFFD for invalid bytes).</summary>
internal sealed class ByteFallbackDecoder : TokenDecoder
{
    public static bool TryParseByte(string token, out byte value)
    {
        value = 0;
        return token.Length == 6 && token.StartsWith("<0x", StringComparison.Ordinal) && token[5] == '>'
            && byte.TryParse(token.AsSpan(3, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
    }

    public override List<string> DecodeChain(List<string> tokens)
    {
        var result = new List<string>(tokens.Count);
        var pending = new List<byte>();
        foreach (string token in tokens)
        {
            if (TryParseByte(token, out byte b))
            {
                pending.Add(b);
                continue;
            }

            if (pending.Count > 0)
            {
                result.Add(Encoding.UTF8.GetString([.. pending]));
                pending.Clear();
            }

            result.Add(token);
        }

        if (pending.Count > 0)
        {
            result.Add(Encoding.UTF8.GetString([.. pending]));
        }

        return result;
    }
}
