using Microsoft.ML.OnnxRuntime;
using Sllm.Generation;
using Sllm.Onnx.Runtime;

namespace Sllm.Onnx;

/// <summary>The token-level generation loop over an <see cref="OnnxModel"/>: one sequence (or a batch) with its own KV cache.</summary>
/// <remarks>
/// <para>Follows ONNX Runtime GenAI's <c>Generator</c>: <see cref="AppendTokens"/> (or <see cref="AppendTokenSequences"/> for a
/// batch) runs the prompt; each <see cref="GenerateNextToken"/> runs the model on the previous token if needed, applies the
/// penalties and logits processors, samples one token per row and appends it; <see cref="IsDone"/> turns true when every row
/// produced an end-of-sequence token or the sequences reached <see cref="MaxLength"/>. <see cref="RewindTo"/> drops tokens so
/// generation can continue from an earlier point.</para>
/// <para>Batches are right-padded with <see cref="OnnxModel.PadTokenId"/>; padded positions are masked, each row's logits come
/// from its last real token, and finished rows are fed the pad id until the whole batch is done.</para>
/// <para>Not thread-safe: use one generator per concurrent request (they share the model). The generator owns its KV cache and
/// native buffers; dispose it before the model. A cancelled or failed call leaves the state as it was before the call.</para>
/// </remarks>
public sealed partial class Generator : IDisposable
{
    private readonly OnnxModel model;
    private readonly DecoderGraph graph;
    private TokenSampler sampler;
    private readonly int vocab;
    private readonly int[][] tokens;
    private readonly int[] lengths;
    private readonly int[] promptLengths;
    private readonly GenerationFinishReason[] finish;
    private readonly int[] nextTokens;
    private int[] eosTokenIds;
    private readonly float[] logits;
    private readonly float[] scratch;
    private readonly Lora.LoraAdapter? adapter;
    private int promptWidth;
    private int width;
    private int paddedLength;
    private bool logitsValid;
    private bool disposed;

    internal Generator(OnnxModel model, GeneratorOptions options)
    {
        options.Validate();
        this.model = model;
        graph = model.Graph;
        vocab = graph.VocabSize;
        MaxLength = options.MaxLength ?? model.MaxLength;
        if (MaxLength > model.ContextLength)
        {
            throw new ArgumentOutOfRangeException(nameof(options), MaxLength, $"GeneratorOptions.MaxLength {MaxLength} exceeds the model's context length {model.ContextLength}.");
        }

        BatchSize = options.BatchSize;
        (eosTokenIds, sampler) = CreateSampler(options);
        tokens = new int[BatchSize][];
        for (int b = 0; b < BatchSize; b++)
        {
            tokens[b] = new int[MaxLength];
        }

        lengths = new int[BatchSize];
        promptLengths = new int[BatchSize];
        finish = new GenerationFinishReason[BatchSize];
        nextTokens = new int[BatchSize];
        logits = new float[BatchSize * vocab];
        scratch = new float[vocab];
        bool share = options.PastPresentShareBuffer ?? model.Config.Search.PastPresentShareBuffer;
        Inputs = new StepInputs(model, BatchSize, MaxLength);
        Cache = new CacheState(graph, BatchSize, MaxLength, share);
        // LoRA: the adapter's tensors are bound as extra inputs; the reference keeps them alive until Dispose.
        adapter = options.Adapter;
        adapter?.Validate(model);
        adapter?.Acquire();
        Runner = new StepRunner(model, Inputs, Cache, BatchSize, adapter);
    }

    /// <summary>Gets the number of sequences in the batch.</summary>
    public int BatchSize { get; }

    /// <summary>Gets the total length (prompt plus output) each sequence may reach.</summary>
    public int MaxLength { get; }

    /// <summary>Gets whether past and present KV share pre-allocated buffers (see <see cref="GeneratorOptions.PastPresentShareBuffer"/>).</summary>
    public bool SharesKvBuffer => Cache.Shared;

    /// <summary>Gets the number of tokens of the first sequence, prompt included (for a batch, the padded length).</summary>
    public int TokenCount => BatchSize == 1 ? lengths[0] : paddedLength;

    /// <summary>Gets whether every sequence has finished.</summary>
    public bool IsDone
    {
        get
        {
            for (int b = 0; b < BatchSize; b++)
            {
                if (finish[b] == GenerationFinishReason.None)
                {
                    return false;
                }
            }

            return paddedLength > 0;
        }
    }

    /// <summary>Gets the LoRA adapter this generator feeds, if any.</summary>
    internal Lora.LoraAdapter? Adapter => adapter;

    private StepInputs Inputs { get; }

    private CacheState Cache { get; }

    private StepRunner Runner { get; }

    /// <summary>Returns a sequence's tokens: its prompt and everything generated, without padding.</summary>
    /// <param name="row">The row of the batch.</param>
    /// <returns>A view that is valid until the next call that changes this generator.</returns>
    public ReadOnlySpan<int> GetSequence(int row)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, BatchSize);
        return tokens[row].AsSpan(0, lengths[row]);
    }

    /// <summary>Returns the number of prompt tokens of a sequence.</summary>
    /// <param name="row">The row of the batch.</param>
    /// <returns>The tokens appended before generation began.</returns>
    public int GetPromptLength(int row)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, BatchSize);
        return promptLengths[row];
    }

    /// <summary>Returns the tokens chosen by the last <see cref="GenerateNextToken"/>, one per row (the pad id for rows that had already finished).</summary>
    /// <returns>A view valid until the next call that changes this generator.</returns>
    public ReadOnlySpan<int> GetNextTokens() => nextTokens;

    /// <summary>Returns why a sequence stopped, or <see cref="GenerationFinishReason.None"/> while it is generating.</summary>
    /// <param name="row">The row of the batch.</param>
    /// <returns>The reason.</returns>
    public GenerationFinishReason GetFinishReason(int row)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, BatchSize);
        return finish[row];
    }

    /// <summary>Returns the model's raw logits for a row at its last processed position (before penalties and sampling).</summary>
    /// <param name="row">The row of the batch.</param>
    /// <returns>A view of <see cref="OnnxModel.VocabularySize"/> values, valid until the next call that changes this generator.</returns>
    /// <exception cref="InvalidOperationException">The model has not run yet.</exception>
    public ReadOnlySpan<float> GetLogits(int row)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, BatchSize);
        if (width == 0)
        {
            throw new InvalidOperationException("The model has not run yet; append tokens first.");
        }

        return logits.AsSpan(row * vocab, vocab);
    }

    /// <summary>Releases the KV cache and native buffers.</summary>
    public void Dispose()
    {
        if (!disposed)
        {
            disposed = true;
            Runner.Dispose();
            Cache.Dispose();
            Inputs.Dispose();
            adapter?.Release();
        }
    }
}
