using Microsoft.Extensions.AI;
using Sllm.Onnx.Lora;

namespace Sllm.Onnx;

public sealed partial class OnnxChatClient
{
    /// <summary>Gets the LoRA adapters resident for this client's model; requests pick one with
    /// <see cref="LoraChatOptionsExtensions.WithAdapter"/> or get <see cref="OnnxChatClientOptions.DefaultAdapter"/>.</summary>
    public LoraAdapterRegistry Adapters { get; private set; } = null!;

    /// <summary>Loads an <c>.onnx_adapter</c> file into <see cref="Adapters"/> under a name.</summary>
    /// <param name="name">The name requests use.</param>
    /// <param name="path">The adapter file.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The adapter, owned by the registry.</returns>
    /// <exception cref="ArgumentException">A name is empty or already loaded.</exception>
    /// <exception cref="LoraAdapterException">The file is malformed or does not fit the model.</exception>
    public Task<LoraAdapter> LoadAdapterAsync(string name, string path, CancellationToken cancellationToken = default) =>
        Adapters.LoadAsync(name, path, cancellationToken);

    /// <summary>Unloads an adapter from <see cref="Adapters"/>; running requests that use it finish with it.</summary>
    /// <param name="name">The name.</param>
    /// <returns><see langword="true"/> when it was loaded.</returns>
    public bool UnloadAdapter(string name) => Adapters.Unload(name);

    private void LoadConfiguredAdapters()
    {
        Adapters = new LoraAdapterRegistry(Model);
        try
        {
            foreach (KeyValuePair<string, string> entry in options.Adapters)
            {
                // Configured adapters are small files read once at startup, next to a model load that is already synchronous.
                Adapters.LoadAsync(entry.Key, entry.Value).GetAwaiter().GetResult();
            }
        }
        catch
        {
            Adapters.Dispose();
            throw;
        }
    }

    /// <summary>Resolves the request's adapter (its choice or the default) and gets a generator bound to it; the request's own
    /// reference spans only this call, since the generator holds one until it is disposed.</summary>
    private Generator AcquireGenerator(int[] prompt, GeneratorOptions generatorOptions, ChatOptions? chatOptions, int maxLength, out int reused)
    {
        string? name = chatOptions.GetAdapter() ?? options.DefaultAdapter;
        if (string.IsNullOrEmpty(name))
        {
            return AcquireGenerator(prompt, generatorOptions, maxLength, out reused);
        }

        LoraAdapter adapter = Adapters.Acquire(name);
        try
        {
            generatorOptions.Adapter = adapter;
            return AcquireGenerator(prompt, generatorOptions, maxLength, out reused);
        }
        finally
        {
            adapter.Release();
        }
    }

    // A cached KV prefix is only valid under the adapter that computed it. Partitioning by the adapter instance (not its
    // name) keeps a reloaded adapter of the same name from reusing the old one's cache.
    private static string PartitionOf(LoraAdapter? adapter) =>
        adapter is null ? DefaultPartition : "lora:" + adapter.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
