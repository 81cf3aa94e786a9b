using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Sllm.Onnx.Runtime;

namespace Sllm.Onnx.Lora;

/// <summary>A LoRA adapter resident in native memory, ready to be fed to a model's adapter inputs by any number of generators.</summary>
/// <remarks>
/// <para>Each tensor is copied once into 64-byte aligned native memory and wrapped in one ONNX Runtime tensor value when the
/// adapter is created; generators using it bind those values as extra inputs (by name), so switching adapters between
/// requests costs a few bindings, never a session reload or a weight copy. Pass it through
/// <see cref="GeneratorOptions.Adapter"/>; the model checks the names, types and shapes on first use.</para>
/// <para>Thread-safe: the tensors are read-only and shared. <see cref="Dispose"/> may be called while generators still use the
/// adapter: each generator holds a reference, and the memory is freed when the last one is disposed.</para>
/// </remarks>
public sealed class LoraAdapter : IDisposable
{
    private readonly NativeTensorBuffer[] buffers;
    private readonly OrtValue[] values;
    private readonly string[] names;
    private static long nextId;
    private readonly object gate = new();
    private int references = 1;
    private bool disposed;
    private DecoderGraph? validatedFor;

    private LoraAdapter(OnnxAdapterFile file, string? path)
    {
        Path = path;
        AdapterVersion = file.AdapterVersion;
        ModelVersion = file.ModelVersion;
        Parameters = file.Parameters;
        int count = file.Parameters.Count;
        buffers = new NativeTensorBuffer[count];
        values = new OrtValue[count];
        names = new string[count];
        try
        {
            for (int i = 0; i < count; i++)
            {
                LoraParameter parameter = file.Parameters[i];
                var buffer = new NativeTensorBuffer((TensorElementType)(int)parameter.DataType, parameter.ElementCount);
                buffers[i] = buffer;
                if (parameter.ElementCount > 0)
                {
                    parameter.Data.Span.CopyTo(buffer.AsSpan<byte>(0, parameter.Data.Length));
                }

                values[i] = buffer.CreateView([.. parameter.Dimensions]);
                names[i] = parameter.Name;
                SizeInBytes += parameter.Data.Length;
            }
        }
        catch
        {
            Release(count);
            throw;
        }
    }

    /// <summary>Gets the file the adapter was loaded from, or <see langword="null"/> when it was made in memory.</summary>
    public string? Path { get; }

    /// <summary>Gets the adapter version recorded in the file.</summary>
    public int AdapterVersion { get; }

    /// <summary>Gets the model version recorded in the file.</summary>
    public int ModelVersion { get; }

    /// <summary>Gets the adapter's tensors (their names, shapes and types; the bytes are the loaded file's).</summary>
    public IReadOnlyList<LoraParameter> Parameters { get; }

    /// <summary>Gets the native memory the tensors take.</summary>
    public long SizeInBytes { get; }

    /// <summary>Gets a number unique to this instance in the process (a reloaded adapter of the same name gets a new one).</summary>
    internal long Id { get; } = Interlocked.Increment(ref nextId);

    internal ReadOnlySpan<string> InputNames => names;

    internal ReadOnlySpan<OrtValue> InputValues => values;

    /// <summary>Loads an <c>.onnx_adapter</c> file into native memory.</summary>
    /// <param name="path">The file.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The adapter, which the caller owns.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    /// <exception cref="LoraAdapterException">The file is missing, unreadable or not a valid adapter.</exception>
    public static async Task<LoraAdapter> LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        OnnxAdapterFile file = await OnnxAdapterFile.ReadAsync(path, cancellationToken).ConfigureAwait(false);
        return new LoraAdapter(file, System.IO.Path.GetFullPath(path));
    }

    /// <summary>Creates an adapter from tensors in memory.</summary>
    /// <param name="file">The adapter's tensors; copied, so the caller may drop it.</param>
    /// <returns>The adapter, which the caller owns.</returns>
    public static LoraAdapter Create(OnnxAdapterFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        return new LoraAdapter(file, path: null);
    }

    /// <summary>Releases the caller's reference; the memory is freed once no generator uses the adapter any more.</summary>
    public void Dispose()
    {
        lock (gate)
        {
            if (disposed)
            {
                return;
            }

            disposed = true;
        }

        Release();
    }

    /// <summary>Takes a reference for a generator; fails when the adapter has already been disposed.</summary>
    internal void Acquire()
    {
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            references++;
        }
    }

    internal void Release()
    {
        lock (gate)
        {
            if (references == 0 || --references > 0)
            {
                return;
            }
        }

        Release(values.Length);
    }

    /// <summary>Checks that every tensor names an adapter input of the model with its element type and fixed dimensions.</summary>
    /// <remarks>Run once per generator; the result is remembered for the last model checked, so it is a pointer compare after.</remarks>
    internal void Validate(OnnxModel model)
    {
        DecoderGraph graph = model.Graph;
        if (ReferenceEquals(Volatile.Read(ref validatedFor), graph))
        {
            return;
        }

        string source = Path ?? "The adapter";
        for (int i = 0; i < Parameters.Count; i++)
        {
            LoraParameter parameter = Parameters[i];
            if (!graph.AdapterInputs.TryGetValue(parameter.Name, out NodeMetadata? input))
            {
                throw new LoraAdapterException(
                    $"{source}: the tensor '{parameter.Name}' is not an adapter input of the model at {model.ModelFile} (it has {graph.AdapterInputs.Count} optional inputs{Example(graph)}). Build the base model with LoRA inputs (ModelBuilderOptions.LoraTargets) or convert the adapter for this model.",
                    Path,
                    parameter.Name);
            }

            var expected = (LoraDataType)(int)input.ElementDataType;
            if (expected != parameter.DataType)
            {
                throw new LoraAdapterException($"{source}: the tensor '{parameter.Name}' is {parameter.DataType}, but the model's input is {TensorElementTypes.Name(input.ElementDataType)}.", Path, parameter.Name);
            }

            int[] dims = input.Dimensions;
            bool fits = dims.Length == parameter.Dimensions.Count;
            for (int d = 0; fits && d < dims.Length; d++)
            {
                fits = dims[d] <= 0 || dims[d] == parameter.Dimensions[d];
            }

            if (!fits)
            {
                throw new LoraAdapterException(
                    $"{source}: the tensor '{parameter.Name}' has shape [{string.Join(", ", parameter.Dimensions)}], but the model's input is [{string.Join(", ", dims)}] (-1 is free, the LoRA rank).",
                    Path,
                    parameter.Name);
            }
        }

        Volatile.Write(ref validatedFor, graph);
    }

    private static string Example(DecoderGraph graph)
    {
        foreach (string name in graph.AdapterInputs.Keys)
        {
            return $", such as '{name}'";
        }

        return string.Empty;
    }

    private void Release(int count)
    {
        for (int i = 0; i < count; i++)
        {
            values[i]?.Dispose();
            buffers[i]?.Dispose();
        }
    }
}
