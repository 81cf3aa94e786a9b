namespace Sllm.Tokenization.Decoders;

/// <summary>Replacement (▁) → space in every token; the first token loses one leading space.</summary>
internal sealed class MetaspaceDecoder(char replacement, bool stripFirst) : TokenDecoder
{
    public char Replacement => replacement;

    public bool StripFirst => stripFirst;

    public override List<string> DecodeChain(List<string> tokens)
    {
        var result = new List<string>(tokens.Count);
        for (int i = 0; i < tokens.Count; i++)
        {
            string token = tokens[i].Replace(replacement, ' ');
            if (i == 0 && stripFirst && token.StartsWith(' '))
            {
                token = token[1..];
            }

            result.Add(token);
        }

        return result;
    }
}
