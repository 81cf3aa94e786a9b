namespace Sllm.Onnx.Building;

/// <summary>
/// Writes ONNX Runtime GenAI model folders for decoder-only models (Llama, Qwen2, Phi-3, Mistral) with the operators
/// ORT GenAI's Python model builder emits for the CPU execution provider, from seeded random or caller-supplied weights.
/// </summary>
/// <remarks>
/// <para>
/// A folder holds <c>model.onnx</c> (the graph), <c>model.onnx.data</c> (every weight, as external data),
/// <c>genai_config.json</c>, <c>tokenizer.json</c> and <c>tokenizer_config.json</c>. Tests, samples and benchmarks use
/// these in place of downloaded exports: the graph is the real one, only the weights are not trained.
/// </para>
/// <para>
/// Thread-safe: builds share no state. Weights are streamed to disk one tensor at a time, so memory stays near the
/// largest tensor (the embedding table) whatever the model's size. Existing files of the same names in the folder are
/// overwritten; other files are left alone.
/// </para>
/// </remarks>
public static class OnnxModelBuilder
{
    /// <summary>The ONNX IR version written (ONNX 1.15+, read by ONNX Runtime 1.16 and later).</summary>
    internal const long IrVersion = 10;

    /// <summary>The default-domain opset ORT GenAI's builder imports.</summary>
    internal const long OnnxOpset = 21;

    /// <summary>Writes a model folder.</summary>
    /// <param name="outputDirectory">The folder to write; created when missing.</param>
    /// <param name="options">The model's shape, precision, weights and tokenizer; validated first.</param>
    /// <param name="cancellationToken">Cancels the build between tensors; the partial weight file is then deleted.</param>
    /// <returns>The folder, its size and the model's parameter count.</returns>
    /// <exception cref="ArgumentException"><paramref name="outputDirectory"/> is empty or not a valid path, or the options are invalid (the parameter name is the property's).</exception>
    /// <exception cref="ArgumentNullException"><paramref name="outputDirectory"/> or <paramref name="options"/> is null.</exception>
    /// <exception cref="ModelBuildException">The output path is a file, or the folder or a file in it cannot be created or written.</exception>
    /// <exception cref="SllmException">The tokenizer folder is missing or its files are malformed (a tokenizer load failure).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public static async Task<ModelBuildResult> BuildAsync(string outputDirectory, ModelBuilderOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputDirectory);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("The model builder writes little-endian tensor data and needs a little-endian host.");
        }

        string directory = Path.GetFullPath(outputDirectory);
        if (File.Exists(directory))
        {
            throw new ModelBuildException($"The output path {directory} is a file; the model builder writes a folder.", directory);
        }

        // The tokenizer is read before anything is created, so a bad tokenizer folder leaves nothing behind.
        TokenizerFiles tokenizer = await TokenizerFiles.LoadAsync(options.TokenizerDirectory, cancellationToken).ConfigureAwait(false);
        DecoderShape shape = DecoderShape.From(options, ResolveVocabSize(options, tokenizer.VocabularySize));

        CreateDirectory(directory);
        string dataPath = Path.Combine(directory, ModelBuildResult.DataFileName);
        string modelPath = Path.Combine(directory, ModelBuildResult.ModelFileName);
        try
        {
            DecoderGraph graph = DecoderGraphBuilder.Build(shape);
            var weights = new WeightWriter(shape, options);
            List<OnnxTensor> initializers;
            long dataBytes;
            var data = new ExternalDataWriter(dataPath, shape.IoType);
            await using (data.ConfigureAwait(false))
            {
                initializers = await weights.WriteAsync(graph.Weights, data, cancellationToken).ConfigureAwait(false);
                dataBytes = data.Length;
            }

            long modelBytes = WriteGraph(modelPath, graph, initializers);
            byte[] config = GenAIConfigWriter.Write(shape, tokenizer);
            await File.WriteAllBytesAsync(Path.Combine(directory, GenAIConfig.FileName), config, cancellationToken).ConfigureAwait(false);
            long tokenizerBytes = await tokenizer.WriteToAsync(directory, cancellationToken).ConfigureAwait(false);
            return new ModelBuildResult(directory, weights.ParameterCount, dataBytes + modelBytes + config.Length + tokenizerBytes,
                shape.VocabSize, tokenizer.EosTokenIds);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryDelete(dataPath);
            throw new ModelBuildException($"The model could not be written to {directory}: {ex.Message}", directory, ex);
        }
        catch (OperationCanceledException)
        {
            // A truncated weight file next to an older model.onnx would load as garbage; remove it.
            TryDelete(dataPath);
            throw;
        }
    }

    private static int ResolveVocabSize(ModelBuilderOptions options, int tokenizerVocabulary)
    {
        if (options.VocabSize is { } vocab)
        {
            if (vocab < tokenizerVocabulary)
            {
                throw new ArgumentOutOfRangeException(nameof(options), vocab,
                    $"VocabSize ({vocab}) is smaller than the tokenizer's vocabulary ({tokenizerVocabulary}): some token ids would have no embedding.");
            }

            return vocab;
        }

        // Rounded up to 64 like the padded vocabularies of real checkpoints (Qwen2.5's 151,936 holds 151,665 tokens).
        int rounded = (tokenizerVocabulary + 63) / 64 * 64;
        if ((long)rounded * options.HiddenSize > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.HiddenSize,
                $"HiddenSize times the tokenizer's vocabulary ({rounded}) is more elements than one tensor can hold.");
        }

        return rounded;
    }

    private static void CreateDirectory(string directory)
    {
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ModelBuildException($"The output folder {directory} could not be created: {ex.Message}", directory, ex);
        }
    }

    private static long WriteGraph(string path, DecoderGraph graph, List<OnnxTensor> initializers)
    {
        var model = new OnnxModel(
            IrVersion,
            "sllm",
            typeof(OnnxModelBuilder).Assembly.GetName().Version?.ToString() ?? "0",
            new OnnxGraph("main_graph", graph.Nodes, [.. initializers, .. graph.InlineInitializers], graph.Inputs, graph.Outputs),
            [new OnnxOperatorSet(string.Empty, OnnxOpset), new OnnxOperatorSet("com.microsoft", 1)]);
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        model.WriteTo(stream);
        return stream.Length;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: the original failure is the one worth reporting.
        }
    }
}
