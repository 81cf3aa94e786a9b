namespace Sllm.Onnx.Quantization;

/// <summary>
/// Converts a float32/float16 model folder (ORT GenAI format, or any folder of <c>.onnx</c> files) to weight-only
/// int4/int8: every <c>MatMul</c> whose weight is a constant two-dimensional initializer becomes a
/// <c>com.microsoft.MatMulNBits</c>, quantized round-to-nearest and block-wise exactly as ONNX Runtime's Python
/// <c>matmul_nbits_quantizer</c> does by default.
/// </summary>
/// <remarks>
/// <para>
/// Each top-level <c>.onnx</c> file is read with a schema-less protobuf reader, so operators, attributes and fields
/// the quantizer does not know (GroupQueryAttention, RotaryEmbedding, metadata, ...) are written back unchanged. Weights
/// go to one new external data file per model (<c>model.onnx.data</c>); other files (<c>genai_config.json</c>, tokenizer
/// files) are copied as they are, since the graph's inputs and outputs do not change.
/// </para>
/// <para>
/// Thread-safe: calls share no state. One weight is held in memory at a time (twice, while it is transposed), plus the
/// model file itself. Existing files of the same names in the output folder are overwritten.
/// </para>
/// </remarks>
public static class OnnxQuantizer
{
    /// <summary>Quantizes a model folder into another folder.</summary>
    /// <param name="sourceDirectory">The folder with the float model (<c>.onnx</c> files, their external data, config and tokenizer).</param>
    /// <param name="targetDirectory">The folder to write; created when missing; must differ from <paramref name="sourceDirectory"/>.</param>
    /// <param name="options">Bits, block size, zero points and accuracy level; validated first.</param>
    /// <param name="cancellationToken">Cancels between weights; files already written stay.</param>
    /// <returns>The folder, the number of MatMuls quantized and the sizes before and after.</returns>
    /// <exception cref="ArgumentException">A path is empty, the two folders are the same, or the options are invalid.</exception>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="QuantizationException">
    /// The folder is missing or has no <c>.onnx</c> file, no file has a MatMul to quantize, a model is malformed or already
    /// quantized, a MatMul weight is neither float32 nor float16, external data is missing, or a file cannot be written.
    /// </exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public static async Task<QuantizationResult> QuantizeAsync(string sourceDirectory, string targetDirectory, QuantizationOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sourceDirectory);
        ArgumentException.ThrowIfNullOrWhiteSpace(targetDirectory);
        ArgumentNullException.ThrowIfNull(options);
        QuantizationSpec spec = QuantizationSpec.From(options);
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("The quantizer reads and writes little-endian tensor data and needs a little-endian host.");
        }

        string source = Path.GetFullPath(sourceDirectory);
        string target = Path.GetFullPath(targetDirectory);
        if (!Directory.Exists(source))
        {
            throw new QuantizationException($"The model folder {source} does not exist.", source);
        }

        if (string.Equals(source.TrimEnd(Path.DirectorySeparatorChar), target.TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal))
        {
            throw new ArgumentException("The output folder must differ from the model folder: the quantizer does not rewrite a model in place.", nameof(targetDirectory));
        }

        string[] models = Directory.GetFiles(source, "*.onnx");
        Array.Sort(models, StringComparer.Ordinal);
        if (models.Length == 0)
        {
            throw new QuantizationException($"The model folder {source} has no .onnx file.", source);
        }

        try
        {
            return await QuantizeFolderAsync(source, target, models, spec, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new QuantizationException($"The model could not be quantized into {target}: {ex.Message}", target, ex);
        }
    }

    private static async Task<QuantizationResult> QuantizeFolderAsync(string source, string target, string[] models, QuantizationSpec spec, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(target);
        var handled = new HashSet<string>(StringComparer.Ordinal);
        int quantized = 0;
        foreach (string model in models)
        {
            string output = Path.Combine(target, Path.GetFileName(model));
            ModelFileQuantizer? file = await ModelFileQuantizer.RunAsync(model, output, spec, cancellationToken).ConfigureAwait(false);
            if (file is not null)
            {
                handled.Add(model);
                handled.UnionWith(file.DataFiles);
                quantized += file.Quantized;
            }
        }

        if (quantized == 0)
        {
            throw new QuantizationException($"No .onnx file in {source} has a MatMul with a constant two-dimensional weight to quantize.", source);
        }

        long sourceBytes = 0;
        foreach (string file in Directory.GetFiles(source))
        {
            sourceBytes += new FileInfo(file).Length;
            if (!handled.Contains(file))
            {
                File.Copy(file, Path.Combine(target, Path.GetFileName(file)), overwrite: true);
            }
        }

        long targetBytes = 0;
        foreach (string file in Directory.GetFiles(target))
        {
            targetBytes += new FileInfo(file).Length;
        }

        return new QuantizationResult(target, quantized, sourceBytes, targetBytes);
    }
}
