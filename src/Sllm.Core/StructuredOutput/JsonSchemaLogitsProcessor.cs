using Sllm.Generation;
using Sllm.Tokenization;

namespace Sllm.StructuredOutput;

/// <summary>
/// An <see cref="ILogitsProcessor"/> that lets a generation emit only <c>prefix JSON suffix</c> where the JSON matches a
/// <see cref="JsonSchemaConstraint"/>, then only an end token.
/// </summary>
/// <remarks>
/// <para>Each call advances an automaton by the tokens generated since the last call and bans (negative infinity) every
/// token that cannot continue the text; once prefix, value and suffix are complete only the end tokens remain. End tokens are
/// banned before that. The state after every generated token is kept, so a sequence that shrinks or changes (a rewind,
/// speculative drafts checked on another branch) is re-derived from the longest prefix it shares with what was seen. A
/// token that does not fit (forced by other means) ends the constraint: from then on only end tokens are allowed.</para>
/// <para>The per-tokenizer tables (token bytes, token trie) are built once per tokenizer instance and shared; the mask
/// cache and checkpoints are this instance's. Use one instance per generated sequence; it is not thread-safe.</para>
/// </remarks>
public sealed class JsonSchemaLogitsProcessor : ILogitsProcessor
{
    private const byte Open = 0;
    private const byte Dead = 1;
    private const byte Ended = 2;

    private readonly JsonMatcher matcher;
    private readonly VocabularyIndex index;
    private readonly TokenMasker masker;
    private readonly int[] endTokens;
    private readonly float[] endLogits;
    private readonly int stride;
    private int[] states;
    private byte[] status;
    private int[] tokens;
    private int count;
    private int promptLength = -1;

    /// <summary>Creates a processor.</summary>
    /// <param name="tokenizer">The model's tokenizer; its ids index the logits.</param>
    /// <param name="constraint">The compiled schema.</param>
    /// <param name="endTokenIds">The ids allowed once the text is complete (end of turn / sequence); at least one.</param>
    /// <param name="options">Prefix and suffix literals; <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="endTokenIds"/> is empty.</exception>
    public JsonSchemaLogitsProcessor(HuggingFaceTokenizer tokenizer, JsonSchemaConstraint constraint, IEnumerable<int> endTokenIds, JsonSchemaLogitsProcessorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(constraint);
        ArgumentNullException.ThrowIfNull(endTokenIds);
        options ??= new JsonSchemaLogitsProcessorOptions();
        options.Validate();
        endTokens = [.. endTokenIds];
        if (endTokens.Length == 0)
        {
            throw new ArgumentException("At least one end token id is needed: it is the only token allowed once the JSON is complete.", nameof(endTokenIds));
        }

        endLogits = new float[endTokens.Length];
        matcher = new JsonMatcher(constraint, System.Text.Encoding.UTF8.GetBytes(options.Prefix), System.Text.Encoding.UTF8.GetBytes(options.Suffix));
        index = VocabularyIndex.For(tokenizer);
        masker = new TokenMasker(matcher, index, endTokens);
        stride = matcher.StateLength;
        states = new int[stride * 64];
        status = new byte[64];
        tokens = new int[64];
    }

    /// <inheritdoc />
    public void Process(ReadOnlySpan<int> sequence, int promptLength, Span<float> logits)
    {
        int at = Sync(sequence, promptLength);
        if (status[at] == Ended)
        {
            return;
        }

        for (int i = 0; i < endTokens.Length; i++)
        {
            endLogits[i] = (uint)endTokens[i] < (uint)logits.Length ? logits[endTokens[i]] : float.NegativeInfinity;
        }

        ReadOnlySpan<int> state = states.AsSpan(at * stride, stride);
        bool complete = status[at] == Dead || matcher.IsComplete(state);
        if (status[at] == Dead)
        {
            logits.Fill(float.NegativeInfinity);
        }
        else
        {
            ApplyMask(masker.Mask(state), logits, complete);
        }

        for (int i = 0; i < endTokens.Length; i++)
        {
            if ((uint)endTokens[i] < (uint)logits.Length)
            {
                logits[endTokens[i]] = complete ? endLogits[i] : float.NegativeInfinity;
            }
        }
    }

    /// <summary>Returns whether <paramref name="token"/> may follow the generated part of <paramref name="sequence"/>.</summary>
    /// <param name="sequence">The prompt followed by the generated tokens.</param>
    /// <param name="promptLength">How many leading tokens are the prompt.</param>
    /// <param name="token">The candidate next token.</param>
    /// <returns><see langword="true"/> when the processor would leave the token's logit alone.</returns>
    public bool IsAllowed(ReadOnlySpan<int> sequence, int promptLength, int token)
    {
        int at = Sync(sequence, promptLength);
        ReadOnlySpan<int> state = states.AsSpan(at * stride, stride);
        if (status[at] == Ended)
        {
            return true;
        }

        if (Array.IndexOf(endTokens, token) >= 0)
        {
            return status[at] == Dead || matcher.IsComplete(state);
        }

        return status[at] == Open && masker.Allows(state, token);
    }

    /// <summary>Returns whether the generated part of <paramref name="sequence"/> is a complete prefix, value and suffix.</summary>
    /// <param name="sequence">The prompt followed by the generated tokens.</param>
    /// <param name="promptLength">How many leading tokens are the prompt.</param>
    /// <returns><see langword="true"/> when the text is complete (an end token may follow).</returns>
    public bool IsComplete(ReadOnlySpan<int> sequence, int promptLength)
    {
        int at = Sync(sequence, promptLength);
        return status[at] != Dead && (status[at] == Ended || matcher.IsComplete(states.AsSpan(at * stride, stride)));
    }

    private void ApplyMask(ulong[] mask, Span<float> logits, bool complete)
    {
        int size = Math.Min(index.Size, logits.Length);
        bool any = false;
        for (int w = 0; w < mask.Length; w++)
        {
            ulong bits = mask[w];
            int start = w << 6;
            int length = Math.Min(64, size - start);
            if (length <= 0)
            {
                break;
            }

            if (bits == 0)
            {
                logits.Slice(start, length).Fill(float.NegativeInfinity);
                continue;
            }

            any = true;
            if (bits == ulong.MaxValue)
            {
                continue;
            }

            // Only the banned ids of the word: in string bodies almost every id is allowed.
            ulong banned = length == 64 ? ~bits : ~bits & ((1UL << length) - 1);
            while (banned != 0)
            {
                logits[start + System.Numerics.BitOperations.TrailingZeroCount(banned)] = float.NegativeInfinity;
                banned &= banned - 1;
            }
        }

        if (logits.Length > size)
        {
            logits[size..].Fill(float.NegativeInfinity);
        }

        if (!any && !complete)
        {
            throw new SllmException(
                SllmErrorKind.UnsupportedOperation,
                "No token of the vocabulary can continue the constrained JSON here; the tokenizer lacks the bytes the schema needs next.",
                path: null);
        }
    }

    /// <summary>Brings the checkpoints in line with <paramref name="sequence"/> and returns the index of its state.</summary>
    private int Sync(ReadOnlySpan<int> sequence, int prompt)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(prompt);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(prompt, sequence.Length);
        if (prompt != promptLength)
        {
            promptLength = prompt;
            count = 0;
            matcher.Reset(states.AsSpan(0, stride));
            status[0] = Open;
        }

        ReadOnlySpan<int> generated = sequence[prompt..];
        int keep = generated.CommonPrefixLength(tokens.AsSpan(0, count));
        count = keep;
        for (int i = keep; i < generated.Length; i++)
        {
            Grow(i + 2);
            int token = generated[i];
            Span<int> next = states.AsSpan((i + 1) * stride, stride);
            states.AsSpan(i * stride, stride).CopyTo(next);
            byte now = status[i];
            if (now == Open)
            {
                now = Array.IndexOf(endTokens, token) >= 0 ? Ended
                    : (uint)token < (uint)index.Size && index.Bytes[token] is { } bytes && matcher.Step(next, bytes) ? Open : Dead;
            }

            status[i + 1] = now;
            tokens[i] = token;
            count = i + 1;
        }

        return count;
    }

    private void Grow(int positions)
    {
        if (positions <= status.Length)
        {
            return;
        }

        int size = Math.Max(positions, status.Length * 2);
        Array.Resize(ref states, size * stride);
        Array.Resize(ref status, size);
        Array.Resize(ref tokens, size);
    }
}
