namespace Sllm.Tokenization.Models;

/// <summary>
/// The token ids an encode call produces, plus (only when token strings are wanted) the text of tokens whose string
/// is not their vocabulary entry (Unigram's unknown pieces). Not thread-safe; one per encode call.
/// </summary>
internal sealed class EncodeBuffer
{
    public EncodeBuffer(bool withTexts, bool withOffsets = false)
    {
        Texts = withTexts ? [] : null;
        Offsets = withOffsets ? [] : null;
    }

    /// <summary>Gets each token's range in the original text (empty at 0 until set), or null when not tracked.</summary>
    public List<(int Start, int End)>? Offsets { get; }

    public List<int> Ids { get; } = [];

    /// <summary>Gets the per-token text override (null entry: the vocabulary string), or null when not tracked.</summary>
    public List<string?>? Texts { get; }

    public int Count => Ids.Count;

    public void Add(int id)
    {
        Ids.Add(id);
        Texts?.Add(null);
        Offsets?.Add(default);
    }

    public void Add(int id, string? text)
    {
        Ids.Add(id);
        Texts?.Add(text);
        Offsets?.Add(default);
    }

    public void AddRange(ReadOnlySpan<int> ids)
    {
        Ids.AddRange(ids);
        if (Texts is not null)
        {
            for (int i = 0; i < ids.Length; i++)
            {
                Texts.Add(null);
            }
        }

        if (Offsets is not null)
        {
            for (int i = 0; i < ids.Length; i++)
            {
                Offsets.Add(default);
            }
        }
    }

    public void RemoveRange(int index, int count)
    {
        Ids.RemoveRange(index, count);
        Texts?.RemoveRange(index, count);
        Offsets?.RemoveRange(index, count);
    }

    public void Insert(int index, int id)
    {
        Ids.Insert(index, id);
        Texts?.Insert(index, null);
        Offsets?.Insert(index, default);
    }
}
