namespace Sllm.Generation;

/// <summary>
/// Finds text stop sequences in streamed output, across token boundaries, and keeps them out of the emitted text: each
/// <see cref="Append"/> returns only the text that can no longer turn out to be the start of a stop sequence.
/// </summary>
/// <remarks>
/// <para>The earliest stop sequence to complete wins; when two complete at the same character, the one that starts
/// earlier (the longer) wins. The matched sequence and everything after it are dropped, and later calls to
/// <see cref="Append"/> return the empty string. Matching is ordinal. Text is never split inside a surrogate pair: a
/// trailing high surrogate is held back until its low surrogate arrives (or <see cref="Flush"/> releases it).</para>
/// <para>Each call scans only the held-back tail (shorter than the longest stop sequence) plus the new text, so the
/// cost of a long generation stays linear. Not thread-safe: use one instance per generation stream; call
/// <see cref="Reset"/> to reuse it.</para>
/// </remarks>
public sealed class StopSequenceMatcher
{
    private readonly string[] _stops;
    private char[] _buffer;
    private int _held;

    /// <summary>Initializes a new instance of the <see cref="StopSequenceMatcher"/> class.</summary>
    /// <param name="stopSequences">The stop sequences; <see langword="null"/> and empty entries are ignored, and an
    /// empty collection makes the matcher pass text straight through.</param>
    /// <exception cref="ArgumentNullException"><paramref name="stopSequences"/> is <see langword="null"/>.</exception>
    public StopSequenceMatcher(IEnumerable<string> stopSequences)
    {
        ArgumentNullException.ThrowIfNull(stopSequences);
        var stops = new List<string>();
        int longest = 0;
        foreach (string? stop in stopSequences)
        {
            if (!string.IsNullOrEmpty(stop) && !stops.Contains(stop))
            {
                stops.Add(stop);
                longest = Math.Max(longest, stop.Length);
            }
        }

        _stops = [.. stops];
        _buffer = new char[Math.Max(16, longest * 2)];
    }

    /// <summary>Gets a value indicating whether a stop sequence has been matched.</summary>
    public bool IsStopped { get; private set; }

    /// <summary>Gets the stop sequence that was matched, or <see langword="null"/> while none has been.</summary>
    public string? MatchedStopSequence { get; private set; }

    /// <summary>Adds the next piece of generated text.</summary>
    /// <param name="text">The new text, for example one streamed token's text.</param>
    /// <returns>The text that is now safe to emit: on a match, the text before the stop sequence; otherwise everything
    /// except a held-back tail that could still begin a stop sequence. Empty once <see cref="IsStopped"/> is
    /// <see langword="true"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    public string Append(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (IsStopped)
        {
            return string.Empty;
        }

        if (_stops.Length == 0)
        {
            return text;
        }

        int length = _held + text.Length;
        if (length > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(length, _buffer.Length * 2));
        }

        text.CopyTo(0, _buffer, _held, text.Length);
        ReadOnlySpan<char> window = _buffer.AsSpan(0, length);

        int matchStart = -1;
        int matchEnd = int.MaxValue;
        string? matched = null;
        foreach (string stop in _stops)
        {
            int start = window.IndexOf(stop.AsSpan());
            int end = start + stop.Length;
            if (start >= 0 && (end < matchEnd || (end == matchEnd && start < matchStart)))
            {
                (matchStart, matchEnd, matched) = (start, end, stop);
            }
        }

        if (matched is not null)
        {
            IsStopped = true;
            MatchedStopSequence = matched;
            _held = 0;
            return new string(window[..matchStart]);
        }

        int emit = length - LongestPartialMatch(window);
        if (emit > 0 && char.IsHighSurrogate(window[emit - 1]))
        {
            emit--;
        }

        string result = emit == 0 ? string.Empty : new string(window[..emit]);
        _held = length - emit;
        window[emit..].CopyTo(_buffer);
        return result;
    }

    /// <summary>Releases the held-back text when generation ends without a stop sequence.</summary>
    /// <returns>The held-back text; empty after a match.</returns>
    public string Flush()
    {
        string result = IsStopped || _held == 0 ? string.Empty : new string(_buffer, 0, _held);
        _held = 0;
        return result;
    }

    /// <summary>Forgets the held-back text and any match, ready for a new generation.</summary>
    public void Reset()
    {
        _held = 0;
        IsStopped = false;
        MatchedStopSequence = null;
    }

    /// <summary>The length of the longest suffix of <paramref name="window"/> that is a proper prefix of a stop
    /// sequence (a full one would already have matched).</summary>
    private int LongestPartialMatch(ReadOnlySpan<char> window)
    {
        int best = 0;
        foreach (string stop in _stops)
        {
            for (int length = Math.Min(stop.Length - 1, window.Length); length > best; length--)
            {
                if (window[^length..].SequenceEqual(stop.AsSpan(0, length)))
                {
                    best = length;
                    break;
                }
            }
        }

        return best;
    }
}
