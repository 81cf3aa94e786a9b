using Sllm.Generation;

namespace Sllm.Onnx;

public sealed partial class Generator
{
    /// <summary>Gets the bytes this generator's KV cache and token buffers hold (for a shared buffer, its full capacity).</summary>
    internal long RetainedBytes => Cache.RetainedBytes + ((long)MaxLength * BatchSize * sizeof(int));

    /// <summary>Applies a new request's sampling, end-of-sequence ids and logits processors while keeping the sequence and its
    /// KV cache, so a cached prefix can serve the next request.</summary>
    /// <remarks>The batch size, max length and cache layout stay those the generator was created with.</remarks>
    internal void Reconfigure(GeneratorOptions options)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        options.Validate();
        (eosTokenIds, sampler) = CreateSampler(options);
    }

    /// <summary>Drops tokens past <paramref name="length"/> ahead of an <see cref="AppendTokens"/>, keeping every cached
    /// position of the kept prefix.</summary>
    /// <returns>The number of kept positions whose KV is already computed.</returns>
    internal int RewindForAppend(int length)
    {
        Rewind(length, keepEveryCachedPosition: true);
        return width;
    }

    private (int[] EosTokenIds, TokenSampler Sampler) CreateSampler(GeneratorOptions options)
    {
        SamplingOptions sampling = model.ResolveSampling(options.Sampling);
        int[] eos = options.EosTokenIds.Count > 0 ? [.. options.EosTokenIds] : [.. model.EosTokenIds];
        foreach (int id in eos)
        {
            if ((uint)id >= (uint)vocab)
            {
                throw new ArgumentOutOfRangeException(nameof(options), id, $"End-of-sequence id {id} is outside the vocabulary (size {vocab}).");
            }
        }

        return (eos, new TokenSampler(sampling, vocab, eos, [.. options.LogitsProcessors]));
    }
}
