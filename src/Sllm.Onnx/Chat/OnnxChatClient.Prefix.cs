namespace Sllm.Onnx;

public sealed partial class OnnxChatClient
{
    // State that changes KV values partitions the cache: the LoRA adapter (PartitionOf); without one, every generator is compatible.
    private const string DefaultPartition = "";

    /// <summary>Gets a generator for <paramref name="prompt"/>: a cached one holding the longest shared prefix (rewound to it),
    /// or a new one.</summary>
    /// <param name="prompt">The request's prompt tokens.</param>
    /// <param name="generatorOptions">The request's generator options.</param>
    /// <param name="maxLength">The length the request may reach.</param>
    /// <param name="reused">The leading prompt tokens whose KV the generator already holds; only the rest need a prefill.</param>
    private Generator AcquireGenerator(int[] prompt, GeneratorOptions generatorOptions, int maxLength, out int reused)
    {
        reused = 0;
        if (prefixCache is null)
        {
            generatorOptions.MaxLength = maxLength;
            return Model.CreateGenerator(generatorOptions);
        }

        Generator? cached = prefixCache.Rent(prompt, PartitionOf(generatorOptions.Adapter), maxLength, out int shared);
        if (cached is not null)
        {
            try
            {
                cached.Reconfigure(generatorOptions);

                // At least one prompt token must run so the step yields the logits of the prompt's last position.
                reused = cached.RewindForAppend(Math.Min(shared, prompt.Length - 1));
                return cached;
            }
            catch
            {
                cached.Dispose();
                throw;
            }
        }

        // A generator sized for the model's max length can serve any later request that fits the model.
        generatorOptions.MaxLength = Math.Max(maxLength, Model.MaxLength);
        return Model.CreateGenerator(generatorOptions);
    }

    private void ReleaseGenerator(Generator generator)
    {
        if (prefixCache is null || Volatile.Read(ref disposed) != 0)
        {
            generator.Dispose();
            return;
        }

        prefixCache.Return(generator, PartitionOf(generator.Adapter));
    }
}
