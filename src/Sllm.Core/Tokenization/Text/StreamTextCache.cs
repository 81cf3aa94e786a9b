namespace Sllm.Tokenization.Text;

/// <summary>
/// Per token id, the text a streaming decoder returns for the token when nothing is pending before it, and whether
/// the <c>clean_up_tokenization_spaces</c> rewrite can neither change that text nor hold any of it back. Entries are
/// computed on first use; racing writers store equal values, so it is thread-safe.
/// </summary>
internal sealed class StreamTextCache(int size, Func<int, string?> compute)
{
    private const byte Unknown = 0;
    private const byte CleanupSensitive = 1;
    private const byte CleanupNeutral = 2;

    private readonly string?[] _texts = new string?[size];
    private readonly byte[] _states = new byte[size];

    /// <summary>Returns the id's text (null when it has no standalone text) and its cleanup neutrality.</summary>
    public string? Get(int id, out bool cleanupNeutral)
    {
        cleanupNeutral = false;
        if ((uint)id >= (uint)_texts.Length)
        {
            return null;
        }

        byte state = Volatile.Read(ref _states[id]);
        if (state == Unknown)
        {
            string? text = compute(id);
            _texts[id] = text;
            state = text is { Length: > 0 } && !CleanUp.MayApply(text) && CleanUp.HoldBackStart(text) == text.Length ? CleanupNeutral : CleanupSensitive;
            Volatile.Write(ref _states[id], state);
        }

        cleanupNeutral = state == CleanupNeutral;
        return _texts[id];
    }
}
