namespace Sllm.Tokenization.Decoders;

/// <summary>Removes up to <c>start</c> leading and <c>stop</c> trailing copies of a character from each token.</summary>
internal sealed class StripDecoder(char content, int start, int stop) : TokenDecoder
{
    public char Content => content;

    public int Start => start;

    public int Stop => stop;

    public override List<string> DecodeChain(List<string> tokens)
    {
        var result = new List<string>(tokens.Count);
        foreach (string token in tokens)
        {
            int s = 0;
            while (s < start && s < token.Length && token[s] == content)
            {
                s++;
            }

            int e = token.Length;
            for (int i = 0; i < stop && e - 1 >= 0 && token[e - 1] == content; i++)
            {
                e--;
            }

            result.Add(e <= s ? string.Empty : token[s..e]);
        }

        return result;
    }
}
