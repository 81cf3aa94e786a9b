using Sllm.Tokenization.Models;

namespace Sllm.Tokenization.Decoders;

/// <summary>
/// The bytes every token of a byte-level vocabulary stands for, precomputed back to back so decoding copies spans
/// instead of mapping characters. Built once per tokenizer on first decode; immutable and thread-safe after.
/// </summary>
internal sealed class ByteLevelTokenBytes
{
    private readonly byte[] _bytes;
    private readonly int[] _starts;

    // Per id: the token's text when its bytes are complete, valid UTF-8 (filled on first use; races store equal strings).
    private readonly string?[] _texts;
    private readonly byte[] _textState;

    private const byte TextUnknown = 0;
    private const byte TextCleanupSensitive = 1;
    private const byte TextCleanupNeutral = 2;

    public ByteLevelTokenBytes(Vocabulary vocabulary)
    {
        int size = vocabulary.Size;
        _starts = new int[size + 1];
        int total = 0;
        for (int id = 0; id < size; id++)
        {
            total += vocabulary.GetToken(id)?.Length ?? 0;
        }

        _bytes = new byte[total];
        int n = 0;
        for (int id = 0; id < size; id++)
        {
            _starts[id] = n;
            if (vocabulary.GetToken(id) is { } token)
            {
                n += ByteLevelDecoder.AppendBytes(token, _bytes.AsSpan(n));
            }
        }

        _starts[size] = n;
        _texts = new string?[size];
        _textState = new byte[size];
    }

    /// <summary>Gets the number of ids covered.</summary>
    public int Count => _starts.Length - 1;

    /// <summary>
    /// Returns the text of a token whose bytes are complete, valid UTF-8, else null (also for unknown ids), and whether
    /// the <c>clean_up_tokenization_spaces</c> rewrite can neither change it nor hold any of it back in a stream.
    /// </summary>
    public string? CompleteText(int id, out bool cleanupNeutral)
    {
        cleanupNeutral = false;
        if ((uint)id >= (uint)_texts.Length)
        {
            return null;
        }

        byte state = Volatile.Read(ref _textState[id]);
        if (state == TextUnknown)
        {
            ReadOnlySpan<byte> bytes = this[id];
            string? text = !bytes.IsEmpty && System.Text.Unicode.Utf8.IsValid(bytes) ? System.Text.Encoding.UTF8.GetString(bytes) : null;
            _texts[id] = text;
            state = text is not null && !Text.CleanUp.MayApply(text) && Text.CleanUp.HoldBackStart(text) == text.Length
                ? TextCleanupNeutral : TextCleanupSensitive;
            Volatile.Write(ref _textState[id], state);
        }

        cleanupNeutral = state == TextCleanupNeutral;
        return _texts[id];
    }

    /// <summary>Returns the bytes of a token id below <see cref="Count"/>.</summary>
    public ReadOnlySpan<byte> this[int id] => _bytes.AsSpan(_starts[id], _starts[id + 1] - _starts[id]);
}
