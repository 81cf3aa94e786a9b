using Sllm.Onnx.Runtime;

namespace Sllm.Onnx;

public sealed partial class Generator
{
    private int[] padFrom = [];

    /// <summary>Appends tokens to the (single) sequence and runs the model on them.</summary>
    /// <param name="newTokens">The tokens; at least one, each within the vocabulary.</param>
    /// <param name="cancellationToken">Stops the model run; the tokens are then not appended.</param>
    /// <remarks>May follow a finished generation (to continue a conversation) or a <see cref="RewindTo"/>; tokens left pending
    /// by a rewind run together with the new ones.</remarks>
    /// <exception cref="InvalidOperationException">The generator has a batch of more than one sequence.</exception>
    /// <exception cref="ArgumentException"><paramref name="newTokens"/> is empty or holds an id outside the vocabulary.</exception>
    /// <exception cref="GenerationException">The tokens do not fit <see cref="MaxLength"/> (<see cref="SllmErrorKind.PromptTooLong"/>) or ONNX Runtime failed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public void AppendTokens(ReadOnlySpan<int> newTokens, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        if (BatchSize != 1)
        {
            throw new InvalidOperationException($"This generator has a batch of {BatchSize} sequences; use AppendTokenSequences.");
        }

        if (newTokens.IsEmpty)
        {
            throw new ArgumentException("At least one token is needed.", nameof(newTokens));
        }

        CheckIds(newTokens, nameof(newTokens));
        int start = lengths[0];
        CheckFits(start + newTokens.Length);
        newTokens.CopyTo(tokens[0].AsSpan(start));
        lengths[0] = start + newTokens.Length;
        try
        {
            RunPending(cancellationToken);
        }
        catch
        {
            lengths[0] = start;
            throw;
        }

        promptLengths[0] = lengths[0];
        finish[0] = lengths[0] >= MaxLength ? GenerationFinishReason.MaxLength : GenerationFinishReason.None;
        paddedLength = lengths[0];
    }

    /// <summary>Starts a batch: appends one prompt per row (right-padded to the longest) and runs the model on them.</summary>
    /// <param name="sequences">One prompt per row; exactly <see cref="BatchSize"/> non-empty prompts.</param>
    /// <param name="cancellationToken">Stops the model run; nothing is then appended.</param>
    /// <exception cref="InvalidOperationException">The generator already holds tokens (rewind to 0 first).</exception>
    /// <exception cref="ArgumentException">The count differs from <see cref="BatchSize"/>, a prompt is empty, or an id is outside the vocabulary.</exception>
    /// <exception cref="GenerationException">The longest prompt does not fit <see cref="MaxLength"/>, or ONNX Runtime failed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public void AppendTokenSequences(IReadOnlyList<IReadOnlyList<int>> sequences, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentNullException.ThrowIfNull(sequences);
        cancellationToken.ThrowIfCancellationRequested();
        if (sequences.Count != BatchSize)
        {
            throw new ArgumentException($"{sequences.Count} sequences were given for a batch of {BatchSize}.", nameof(sequences));
        }

        if (BatchSize == 1)
        {
            AppendTokens(ToArray(sequences[0]), cancellationToken);
            return;
        }

        if (paddedLength != 0)
        {
            throw new InvalidOperationException("A batch can be appended only once; call RewindTo(0) to start over.");
        }

        int longest = 0;
        for (int b = 0; b < BatchSize; b++)
        {
            IReadOnlyList<int> row = sequences[b] ?? throw new ArgumentException($"Sequence {b} is null.", nameof(sequences));
            if (row.Count == 0)
            {
                throw new ArgumentException($"Sequence {b} is empty.", nameof(sequences));
            }

            longest = Math.Max(longest, row.Count);
        }

        CheckFits(longest);
        padFrom = new int[BatchSize];
        int pad = model.PadTokenId;
        for (int b = 0; b < BatchSize; b++)
        {
            IReadOnlyList<int> row = sequences[b];
            for (int j = 0; j < row.Count; j++)
            {
                tokens[b][j] = row[j];
            }

            CheckIds(tokens[b].AsSpan(0, row.Count), nameof(sequences));
            for (int j = 0; j < longest; j++)
            {
                int index = (b * longest) + j;
                bool real = j < row.Count;
                Inputs.SetId(index, real ? row[j] : pad);
                Inputs.SetPosition(index, real ? j : 0);
                if (Inputs.HasMask)
                {
                    Inputs.SetMask(index, real ? 1 : 0);
                }
            }

            padFrom[b] = row.Count;
            nextTokens[b] = 0;
        }

        Span<int> columns = stackalloc int[BatchSize];
        for (int b = 0; b < BatchSize; b++)
        {
            columns[b] = padFrom[b] - 1;
        }

        Runner.Run(longest, 0, columns, logits, cancellationToken);
        for (int b = 0; b < BatchSize; b++)
        {
            lengths[b] = padFrom[b];
            promptLengths[b] = padFrom[b];
            finish[b] = GenerationFinishReason.None;
        }

        promptWidth = longest;
        width = longest;
        paddedLength = longest;
        logitsValid = true;
        if (paddedLength >= MaxLength)
        {
            FinishAtLength();
        }
    }

    /// <summary>Chooses the next token of every unfinished sequence and appends it.</summary>
    /// <param name="cancellationToken">Stops the model run within the current step; the generator is then unchanged.</param>
    /// <exception cref="InvalidOperationException">No tokens were appended yet, or every sequence has finished.</exception>
    /// <exception cref="GenerationException">ONNX Runtime failed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public void GenerateNextToken(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        if (paddedLength == 0)
        {
            throw new InvalidOperationException("Append tokens before generating.");
        }

        if (IsDone)
        {
            throw new InvalidOperationException("Every sequence has finished; check IsDone before generating.");
        }

        if (!logitsValid)
        {
            RunPending(cancellationToken);
        }

        int[] eos = eosTokenIds;
        for (int b = 0; b < BatchSize; b++)
        {
            if (finish[b] != GenerationFinishReason.None)
            {
                nextTokens[b] = model.PadTokenId;
                continue;
            }

            logits.AsSpan(b * vocab, vocab).CopyTo(scratch);
            int token = sampler.Sample(tokens[b].AsSpan(0, lengths[b]), promptLengths[b], scratch);
            tokens[b][lengths[b]++] = token;
            nextTokens[b] = token;
            for (int e = 0; e < eos.Length; e++)
            {
                if (eos[e] == token)
                {
                    finish[b] = GenerationFinishReason.EndOfSequence;
                    break;
                }
            }
        }

        paddedLength = BatchSize == 1 ? lengths[0] : paddedLength + 1;
        logitsValid = false;
        if (paddedLength >= MaxLength)
        {
            FinishAtLength();
        }
    }

    /// <summary>Drops tokens so the sequence holds its first <paramref name="length"/>; the next
    /// <see cref="GenerateNextToken"/> or <see cref="AppendTokens"/> continues from there.</summary>
    /// <param name="length">The tokens to keep: 0 to <see cref="TokenCount"/>; a batch can only rewind to 0.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is out of range.</exception>
    /// <exception cref="GenerationException">The model keeps recurrent state and cannot rewind (<see cref="SllmErrorKind.UnsupportedOperation"/>).</exception>
    public void RewindTo(int length) => Rewind(length, keepEveryCachedPosition: false);

    private void Rewind(int length, bool keepEveryCachedPosition)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (!model.CanRewind)
        {
            throw new GenerationException(
                SllmErrorKind.UnsupportedOperation,
                $"{model.ModelFile}: '{model.ModelType}' models carry recurrent state ({graph.ConvLayers[0].Past}, ...) that cannot be rewound; create a new generator instead.",
                model.ModelFile);
        }

        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, TokenCount);
        if (BatchSize > 1 && length != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, "A batch can only rewind to 0.");
        }

        if (length == 0)
        {
            Array.Clear(lengths);
            Array.Clear(promptLengths);
            Array.Clear(finish);
            width = paddedLength = promptWidth = 0;
            padFrom = [];
            logitsValid = false;
            Cache.Reset();
            return;
        }

        if (length == lengths[0] && logitsValid)
        {
            return;
        }

        lengths[0] = length;
        promptLengths[0] = Math.Min(promptLengths[0], length);
        finish[0] = GenerationFinishReason.None;
        paddedLength = length;
        // A plain rewind leaves the last kept token pending so its logits exist for GenerateNextToken; a rewind that more tokens
        // will follow at once can keep every cached position.
        DropCachedPositionsFrom(keepEveryCachedPosition ? length : length - 1);

        logitsValid = false;
    }

    /// <summary>Shortens the KV cache to its first <paramref name="keep"/> positions when it holds more.</summary>
    private void DropCachedPositionsFrom(int keep)
    {
        if (keep < width)
        {
            Cache.Truncate(keep);
            width = keep;
        }
    }

    private void RunPending(CancellationToken cancellationToken)
    {
        Span<int> columns = stackalloc int[BatchSize];
        int count;
        if (BatchSize == 1)
        {
            count = lengths[0] - width;
            for (int j = 0; j < count; j++)
            {
                Inputs.SetId(j, tokens[0][width + j]);
                Inputs.SetPosition(j, width + j);
            }

            columns[0] = count - 1;
        }
        else
        {
            count = 1;
            int total = width + 1;
            for (int b = 0; b < BatchSize; b++)
            {
                Inputs.SetId(b, nextTokens[b]);
                Inputs.SetPosition(b, padFrom[b] + (width - promptWidth));
                if (Inputs.HasMask)
                {
                    for (int c = 0; c < total; c++)
                    {
                        Inputs.SetMask((b * total) + c, c < padFrom[b] || c >= promptWidth ? 1 : 0);
                    }
                }
            }
        }

        Runner.Run(count, width, columns, logits, cancellationToken);
        width += count;
        logitsValid = true;
    }

    private void FinishAtLength()
    {
        for (int b = 0; b < BatchSize; b++)
        {
            if (finish[b] == GenerationFinishReason.None)
            {
                finish[b] = GenerationFinishReason.MaxLength;
            }
        }
    }

    private void CheckFits(int length)
    {
        if (length > MaxLength)
        {
            throw new GenerationException(
                SllmErrorKind.PromptTooLong,
                $"{length} tokens do not fit the generator's max length of {MaxLength} (model context length {model.ContextLength}); shorten the prompt or raise GeneratorOptions.MaxLength.",
                model.ModelFile);
        }
    }

    private void CheckIds(ReadOnlySpan<int> ids, string argument)
    {
        for (int i = 0; i < ids.Length; i++)
        {
            if ((uint)ids[i] >= (uint)vocab)
            {
                throw new ArgumentOutOfRangeException(argument, ids[i], $"Token id {ids[i]} at index {i} is outside the vocabulary (size {vocab}).");
            }
        }
    }

    private static int[] ToArray(IReadOnlyList<int> row)
    {
        if (row is int[] array)
        {
            return array;
        }

        var copy = new int[row.Count];
        for (int i = 0; i < copy.Length; i++)
        {
            copy[i] = row[i];
        }

        return copy;
    }
}
