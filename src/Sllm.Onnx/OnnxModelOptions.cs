using Microsoft.Extensions.Logging;

namespace Sllm.Onnx;

/// <summary>Options for loading an <see cref="OnnxModel"/>.</summary>
/// <remarks>Read once by <see cref="OnnxModel.CreateAsync"/>; later changes do not affect a loaded model. Not thread-safe.</remarks>
public sealed class OnnxModelOptions
{
    /// <summary>The default cap on <see cref="OnnxModel.MaxLength"/> when neither these options nor <c>genai_config.json</c> set one.</summary>
    /// <remarks>ONNX Runtime GenAI defaults <c>max_length</c> to the full context length, which makes a 128k-context model
    /// allocate gigabytes of KV cache per request; 4096 tokens covers ordinary chats.</remarks>
    public const int DefaultMaxLengthCap = 4096;

    /// <summary>Gets or sets the execution providers to use, in order of preference, overriding
    /// <c>model.decoder.session_options.provider_options</c>; empty (the default) keeps the config's list.</summary>
    /// <remarks>Names as ONNX Runtime GenAI spells them (<c>cpu</c>, <c>cuda</c>, <c>dml</c>, <c>tensorrt</c>, <c>rocm</c>,
    /// <c>openvino</c>, <c>qnn</c>, <c>webgpu</c>, <c>coreml</c>, <c>xnnpack</c>), case-insensitive. A provider the loaded native
    /// ONNX Runtime lacks is a <see cref="ModelLoadException"/> of kind <see cref="SllmErrorKind.ExecutionProviderUnavailable"/>;
    /// list <c>cpu</c> alone to run a model exported for a GPU on the CPU.</remarks>
    public IList<string> ExecutionProviders { get; set; } = [];

    /// <summary>Gets or sets the default total length (prompt plus output) of a generation, or <see langword="null"/> (the
    /// default) for <c>search.max_length</c> from the config capped at <see cref="DefaultMaxLengthCap"/>.</summary>
    /// <remarks>KV buffers are sized by the length of each request, never by the model's full context length; a value above
    /// <see cref="OnnxModel.ContextLength"/> is an error.</remarks>
    public int? MaxLength { get; set; }

    /// <summary>Gets or sets the number of threads ONNX Runtime uses inside an operator, overriding the config; <see langword="null"/> (the default) keeps the config's or ONNX Runtime's choice.</summary>
    public int? IntraOpNumThreads { get; set; }

    /// <summary>Gets session configuration entries (<c>AddSessionConfigEntry</c>) applied after the config's.</summary>
    public IDictionary<string, string> SessionConfigEntries { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Gets or sets the <c>accuracy_level</c> every <c>com.microsoft.MatMulNBits</c> node of an int4/int8 model runs
    /// with, overriding the value in the file; <see langword="null"/> (the default) keeps the file's, which the SDK's builder
    /// and quantizer write as 4 (int8 activations, the fast CPU path).</summary>
    /// <remarks>1 (float32 activations) is the parity mode: greedy choices then follow the dequantized weights exactly instead
    /// of flipping at near-ties. ONNX Runtime has no session setting for existing MatMulNBits nodes
    /// (<c>session.qdq_matmulnbits_accuracy_level</c> applies to QDQ fusion only), so the graph is rewritten in memory at load and
    /// the session is created from those bytes, with external weights read from the model's folder. Values 0 to 4.</remarks>
    public int? MatMulNBitsAccuracyLevel { get; set; }

    /// <summary>Gets or sets whether the tokenizer and chat template are required (the default) or optional, for models driven
    /// by token ids alone.</summary>
    public bool RequireTokenizer { get; set; } = true;

    /// <summary>Gets or sets the logger for load warnings (unknown config keys) and generation diagnostics; <see langword="null"/> (the default) logs nothing.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentException">A provider name is empty, or a numeric option is out of range.</exception>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(ExecutionProviders, nameof(ExecutionProviders));
        foreach (string provider in ExecutionProviders)
        {
            if (string.IsNullOrWhiteSpace(provider))
            {
                throw new ArgumentException("An execution provider name is empty.", nameof(ExecutionProviders));
            }
        }

        if (MaxLength is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxLength), MaxLength, "MaxLength must be positive.");
        }

        if (MatMulNBitsAccuracyLevel is < 0 or > 4)
        {
            throw new ArgumentOutOfRangeException(nameof(MatMulNBitsAccuracyLevel), MatMulNBitsAccuracyLevel, "MatMulNBitsAccuracyLevel must be 0 to 4.");
        }

        if (IntraOpNumThreads is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(IntraOpNumThreads), IntraOpNumThreads, "IntraOpNumThreads cannot be negative.");
        }
    }

    /// <summary>Returns a copy of these options.</summary>
    /// <returns>An independent copy.</returns>
    public OnnxModelOptions Clone()
    {
        var copy = new OnnxModelOptions
        {
            ExecutionProviders = [.. ExecutionProviders],
            MaxLength = MaxLength,
            IntraOpNumThreads = IntraOpNumThreads,
            MatMulNBitsAccuracyLevel = MatMulNBitsAccuracyLevel,
            RequireTokenizer = RequireTokenizer,
            LoggerFactory = LoggerFactory,
        };
        foreach (KeyValuePair<string, string> entry in SessionConfigEntries)
        {
            copy.SessionConfigEntries[entry.Key] = entry.Value;
        }

        return copy;
    }
}
