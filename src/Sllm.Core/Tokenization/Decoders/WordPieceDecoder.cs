using Sllm.Tokenization.Text;

namespace Sllm.Tokenization.Decoders;

/// <summary>WordPiece: drops the continuation prefix, puts a space before other tokens, optional cleanup.</summary>
internal sealed class WordPieceDecoder(string prefix, bool cleanup) : TokenDecoder
{
    public string Prefix => prefix;

    public bool Cleanup => cleanup;

    public override List<string> DecodeChain(List<string> tokens)
    {
        var result = new List<string>(tokens.Count);
        for (int i = 0; i < tokens.Count; i++)
        {
            string token = tokens[i];
            if (i != 0)
            {
                token = prefix.Length > 0 && token.StartsWith(prefix, StringComparison.Ordinal) ? token[prefix.Length..] : " " + token;
            }

            result.Add(cleanup ? CleanUp.Apply(token) : token);
        }

        return result;
    }
}
