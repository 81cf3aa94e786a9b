namespace Sllm.Guardrails;

/// <summary>One piece of personally identifiable information found in a text.</summary>
/// <remarks>Immutable; safe to share between threads. Offsets count UTF-16 code units, as <see cref="string"/> does.</remarks>
public sealed class PiiMatch
{
    /// <summary>Initializes a new instance of the <see cref="PiiMatch"/> class.</summary>
    /// <param name="kind">What was found.</param>
    /// <param name="start">The offset of the first character in the searched text.</param>
    /// <param name="text">The matched characters.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="start"/> is negative.</exception>
    /// <exception cref="ArgumentException"><paramref name="text"/> is null or empty.</exception>
    public PiiMatch(PiiEntityKind kind, int start, string text)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentException.ThrowIfNullOrEmpty(text);
        Kind = kind;
        Start = start;
        Text = text;
    }

    /// <summary>Gets what was found.</summary>
    public PiiEntityKind Kind { get; }

    /// <summary>Gets the offset of the first matched character in the searched text.</summary>
    public int Start { get; }

    /// <summary>Gets the number of matched characters.</summary>
    public int Length => Text.Length;

    /// <summary>Gets the offset just past the last matched character (exclusive).</summary>
    public int End => Start + Text.Length;

    /// <summary>Gets the matched characters: <c>source.Substring(Start, Length)</c>.</summary>
    public string Text { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Kind} [{Start}, {End}): {Text}";
}
