namespace Sllm.Tokenization.Models;

/// <summary>A tokenization model (BPE, WordPiece, Unigram): turns one pre-token into token ids. Immutable, thread-safe.</summary>
internal abstract class TokenizerModel
{
    protected TokenizerModel(Vocabulary vocabulary, int unkId, bool fuseUnk)
    {
        Vocabulary = vocabulary;
        UnkId = unkId;
        FuseUnk = fuseUnk;
    }

    public Vocabulary Vocabulary { get; }

    /// <summary>Gets the unknown token's id, or -1 when the model has none.</summary>
    public int UnkId { get; }

    /// <summary>Gets whether runs of unknown tokens are fused into one after each model call.</summary>
    public bool FuseUnk { get; }

    /// <summary>Gets the suffix marking the end of a word (BPE <c>end_of_word_suffix</c>), or null.</summary>
    public virtual string? EndOfWordSuffix => null;

    public abstract void Encode(ReadOnlySpan<char> word, EncodeBuffer output);

    /// <summary>
    /// Collapses each run of unknown-token ids in <c>[start, Count)</c> into its first token, as the reference's
    /// <c>fuse_unk</c>: a raw-text token (Unigram) absorbs the text of the rest of the run.
    /// </summary>
    public void Fuse(EncodeBuffer output, int start)
    {
        if (!FuseUnk || UnkId < 0)
        {
            return;
        }

        List<int> ids = output.Ids;
        for (int i = start; i < ids.Count; i++)
        {
            if (ids[i] != UnkId)
            {
                continue;
            }

            int end = i + 1;
            while (end < ids.Count && ids[end] == UnkId)
            {
                end++;
            }

            if (end - i > 1)
            {
                if (output.Texts is { } texts && texts[i] is not null)
                {
                    var sb = new System.Text.StringBuilder(texts[i]);
                    for (int k = i + 1; k < end; k++)
                    {
                        sb.Append(texts[k] ?? Vocabulary.GetToken(UnkId));
                    }

                    texts[i] = sb.ToString();
                }

                if (output.Offsets is { } offsets)
                {
                    offsets[i] = (offsets[i].Start, offsets[end - 1].End);
                }

                output.RemoveRange(i + 1, end - i - 1);
            }
        }
    }
}
