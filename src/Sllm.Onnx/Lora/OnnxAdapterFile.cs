namespace Sllm.Onnx.Lora;

/// <summary>The contents of an <c>.onnx_adapter</c> file, ONNX Runtime's LoRA adapter format: versions and named tensors.</summary>
/// <remarks>
/// <para>The format is a FlatBuffer (<c>onnxruntime/lora/adapter_format/adapter_schema.fbs</c>, identifier <c>TORT</c>,
/// format version 1). Files written here load through ONNX Runtime's own <c>OrtLoraAdapter.Create</c>, and files written by
/// ONNX Runtime's Python <c>AdapterFormat</c> or Olive's <c>convert-adapters</c> read here.</para>
/// <para>Immutable after creation apart from the version properties; safe to read from several threads.</para>
/// </remarks>
public sealed class OnnxAdapterFile
{
    /// <summary>The file extension ONNX Runtime uses.</summary>
    public const string Extension = ".onnx_adapter";

    /// <summary>The only adapter format version ONNX Runtime reads.</summary>
    public const int SupportedFormatVersion = 1;

    /// <summary>Initializes a new instance of the <see cref="OnnxAdapterFile"/> class.</summary>
    /// <param name="parameters">The tensors; names must be unique.</param>
    /// <exception cref="ArgumentException">A parameter is null or two share a name.</exception>
    public OnnxAdapterFile(IEnumerable<LoraParameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var list = new List<LoraParameter>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (LoraParameter parameter in parameters)
        {
            ArgumentNullException.ThrowIfNull(parameter, nameof(parameters));
            if (!names.Add(parameter.Name))
            {
                throw new ArgumentException($"Two adapter parameters are named '{parameter.Name}'.", nameof(parameters));
            }

            list.Add(parameter);
        }

        Parameters = list;
    }

    /// <summary>Gets the format version (1 when written here).</summary>
    public int FormatVersion { get; internal init; } = SupportedFormatVersion;

    /// <summary>Gets or sets the adapter's own version number, free for the author's use.</summary>
    /// <value>The default is 1.</value>
    public int AdapterVersion { get; set; } = 1;

    /// <summary>Gets or sets the version of the base model the adapter was made for, free for the author's use.</summary>
    /// <value>The default is 1.</value>
    public int ModelVersion { get; set; } = 1;

    /// <summary>Gets the tensors, in file order.</summary>
    public IReadOnlyList<LoraParameter> Parameters { get; }

    internal static ReadOnlySpan<byte> Identifier => "TORT"u8;

    /// <summary>Reads an <c>.onnx_adapter</c> file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The contents.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    /// <exception cref="LoraAdapterException">The file is missing, unreadable, not an adapter, corrupt, of another format version or holds an unsupported element type.</exception>
    public static async Task<OnnxAdapterFile> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new LoraAdapterException($"The adapter file {path} could not be read: {ex.Message}", path, tensor: null, ex);
        }

        return OnnxAdapterReader.Decode(bytes, path);
    }

    /// <summary>Decodes an adapter from memory.</summary>
    /// <param name="bytes">The file's bytes; the parameters keep slices of this array, so do not change it afterwards.</param>
    /// <returns>The contents.</returns>
    /// <exception cref="LoraAdapterException">The bytes are not a valid adapter.</exception>
    public static OnnxAdapterFile Parse(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        return OnnxAdapterReader.Decode(bytes, path: null);
    }

    /// <summary>Encodes the adapter as ONNX Runtime's FlatBuffer.</summary>
    /// <returns>The file's bytes.</returns>
    /// <exception cref="LoraAdapterException">The adapter exceeds the format's 2 GB limit.</exception>
    public byte[] ToArray() => OnnxAdapterWriter.Encode(this);

    /// <summary>Writes the adapter to a file, replacing it if it exists.</summary>
    /// <param name="path">The file, conventionally with the <see cref="Extension"/> extension.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the file is written.</returns>
    /// <exception cref="LoraAdapterException">The file cannot be written.</exception>
    public async Task WriteAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] bytes = ToArray();
        try
        {
            await File.WriteAllBytesAsync(path, bytes, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new LoraAdapterException($"The adapter file {path} could not be written: {ex.Message}", path, tensor: null, ex);
        }
    }
}
