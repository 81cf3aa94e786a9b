namespace Sllm.Onnx.Lora;

/// <summary>The LoRA adapters resident for one model, by name: load, list, unload; requests pick one per call.</summary>
/// <remarks>
/// <para>Any number of adapters can be resident; each costs its tensors' native memory (see <see cref="LoraAdapter.SizeInBytes"/>)
/// and nothing else. Adapters are checked against the model when loaded, so a request never finds out first.</para>
/// <para>Thread-safe. <see cref="Unload"/> is safe while requests use the adapter: they hold their own reference and the memory is
/// freed when the last of them finishes. Disposing the registry unloads everything the same way.</para>
/// </remarks>
public sealed class LoraAdapterRegistry : IDisposable
{
    private readonly OnnxModel model;
    private readonly Dictionary<string, LoraAdapter> adapters = new(StringComparer.Ordinal);
    private readonly object gate = new();
    private bool disposed;

    internal LoraAdapterRegistry(OnnxModel model) => this.model = model;

    /// <summary>Gets the names of the resident adapters, sorted.</summary>
    public IReadOnlyList<string> Names
    {
        get
        {
            lock (gate)
            {
                var names = new List<string>(adapters.Keys);
                names.Sort(StringComparer.Ordinal);
                return names;
            }
        }
    }

    /// <summary>Gets the number of resident adapters.</summary>
    public int Count
    {
        get
        {
            lock (gate)
            {
                return adapters.Count;
            }
        }
    }

    /// <summary>Loads an <c>.onnx_adapter</c> file under a name, checked against the model.</summary>
    /// <param name="name">The name requests use (<see cref="LoraChatOptionsExtensions.WithAdapter"/>); case-sensitive.</param>
    /// <param name="path">The adapter file.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The loaded adapter, owned by the registry.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> or <paramref name="path"/> is empty, or an adapter of that name is already loaded.</exception>
    /// <exception cref="LoraAdapterException">The file is missing or malformed, or its tensors do not fit the model.</exception>
    /// <exception cref="ObjectDisposedException">The registry (its client) has been disposed.</exception>
    public async Task<LoraAdapter> LoadAsync(string name, string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(path);
        ThrowIfTaken(name);
        LoraAdapter adapter = await LoraAdapter.LoadAsync(path, cancellationToken).ConfigureAwait(false);
        Add(name, adapter);
        return adapter;
    }

    /// <summary>Adds an adapter made in memory (for example by <see cref="LoraAdapterConverter"/>); the registry takes ownership.</summary>
    /// <param name="name">The name requests use.</param>
    /// <param name="adapter">The adapter; disposed by the registry on <see cref="Unload"/> or when the registry is disposed.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or already loaded.</exception>
    /// <exception cref="LoraAdapterException">The adapter's tensors do not fit the model.</exception>
    public void Add(string name, LoraAdapter adapter)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(adapter);
        try
        {
            adapter.Validate(model);
            lock (gate)
            {
                ObjectDisposedException.ThrowIf(disposed, this);
                if (!adapters.TryAdd(name, adapter))
                {
                    throw new ArgumentException($"An adapter named '{name}' is already loaded; unload it first.", nameof(name));
                }
            }
        }
        catch
        {
            adapter.Dispose();
            throw;
        }
    }

    /// <summary>Returns a resident adapter by name.</summary>
    /// <param name="name">The name.</param>
    /// <param name="adapter">The adapter, or <see langword="null"/>.</param>
    /// <returns><see langword="true"/> when it is loaded.</returns>
    public bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out LoraAdapter? adapter)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (gate)
        {
            return adapters.TryGetValue(name, out adapter);
        }
    }

    /// <summary>Unloads an adapter; requests already using it finish with it, new ones can no longer pick it.</summary>
    /// <param name="name">The name.</param>
    /// <returns><see langword="true"/> when it was loaded.</returns>
    public bool Unload(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        LoraAdapter? adapter;
        lock (gate)
        {
            if (!adapters.Remove(name, out adapter))
            {
                return false;
            }
        }

        adapter.Dispose();
        return true;
    }

    /// <summary>Unloads every adapter (in-flight requests keep theirs until they finish).</summary>
    public void Dispose()
    {
        List<LoraAdapter> all;
        lock (gate)
        {
            disposed = true;
            all = [.. adapters.Values];
            adapters.Clear();
        }

        foreach (LoraAdapter adapter in all)
        {
            adapter.Dispose();
        }
    }

    /// <summary>Takes a reference on a named adapter for one request, atomically with the lookup so an unload cannot free it
    /// in between; the caller releases it once its generator holds its own.</summary>
    internal LoraAdapter Acquire(string name)
    {
        lock (gate)
        {
            if (!adapters.TryGetValue(name, out LoraAdapter? adapter))
            {
                string loaded = adapters.Count == 0 ? "none are loaded" : $"loaded: {string.Join(", ", adapters.Keys.Order(StringComparer.Ordinal))}";
                throw new ArgumentException($"No LoRA adapter named '{name}' is loaded ({loaded}).", nameof(name));
            }

            adapter.Acquire();
            return adapter;
        }
    }

    private void ThrowIfTaken(string name)
    {
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            if (adapters.ContainsKey(name))
            {
                throw new ArgumentException($"An adapter named '{name}' is already loaded; unload it first.", nameof(name));
            }
        }
    }
}
