using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;
using Sllm.ChatTemplates;
using Sllm.Onnx.Runtime;
using Sllm.Tokenization;

namespace Sllm.Onnx;

public sealed partial class OnnxModel
{
    /// <summary>Loads a model folder written by ONNX Runtime GenAI's model builder (or Sllm's <c>OnnxModelBuilder</c>).</summary>
    /// <param name="modelPath">The folder holding <c>genai_config.json</c>, the decoder <c>.onnx</c> (with its external data) and
    /// the tokenizer files.</param>
    /// <param name="options">Providers, length cap and threads; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels the file reads; session creation itself cannot be interrupted.</param>
    /// <returns>The loaded model, which the caller owns.</returns>
    /// <exception cref="ArgumentException"><paramref name="modelPath"/> is empty or <paramref name="options"/> is invalid.</exception>
    /// <exception cref="ModelLoadException">A file is missing or malformed, the graph disagrees with the config, or an execution
    /// provider is unavailable; the message names the file and field.</exception>
    /// <exception cref="SllmException">The tokenizer or chat template is malformed (<see cref="TokenizerLoadException"/>,
    /// <see cref="ChatTemplateException"/>).</exception>
    public static async Task<OnnxModel> CreateAsync(string modelPath, OnnxModelOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        options = options?.Clone() ?? new OnnxModelOptions();
        options.Validate();
        ILogger logger = CreateLogger(options);
        string directory = Path.GetFullPath(modelPath);
        GenAIConfig config = await GenAIConfig.LoadAsync(directory, logger, cancellationToken).ConfigureAwait(false);
        string configPath = config.Path ?? Path.Combine(directory, GenAIConfig.FileName);
        ValidateConfig(config, configPath);
        int maxLength = ResolveMaxLength(config, options);

        string modelFile = Path.Combine(directory, config.Model.Decoder.Filename);
        if (!File.Exists(modelFile))
        {
            throw new ModelLoadException(
                $"{configPath}: model.decoder.filename names '{config.Model.Decoder.Filename}', but {modelFile} does not exist.",
                modelFile,
                "model.decoder.filename");
        }

        string tokenizerDirectory = Path.Combine(directory, config.Model.TokenizerDirectory);
        (HuggingFaceTokenizer? tokenizer, ChatTemplate? template) = await LoadTextAsync(tokenizerDirectory, options, cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();

        InferenceSession session = await Task.Run(() => CreateSession(config, options, configPath, modelFile), cancellationToken).ConfigureAwait(false);
        try
        {
            DecoderGraph graph = new DecoderGraphReader(config, modelFile, session.InputMetadata, session.OutputMetadata, session.OverridableInitializerMetadata).Read();
            foreach (int eos in config.Model.EosTokenIds)
            {
                if (eos < 0 || eos >= graph.VocabSize)
                {
                    throw new ModelLoadException($"{configPath}: model.eos_token_id {eos} is outside the vocabulary (size {graph.VocabSize}).", configPath, "model.eos_token_id");
                }
            }

            OnnxModelLog.Loaded(logger, directory, config.Model.Type, graph.KvLayers.Count, config.Model.ContextLength, maxLength);
            return new OnnxModel(directory, modelFile, config, session, graph, tokenizer, template, maxLength, logger);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    private static void ValidateConfig(GenAIConfig config, string configPath)
    {
        if (config.Model.ContextLength <= 0)
        {
            throw new ModelLoadException($"{configPath}: model.context_length must be positive.", configPath, "model.context_length");
        }
    }

    private static int ResolveMaxLength(GenAIConfig config, OnnxModelOptions options)
    {
        int context = config.Model.ContextLength;
        if (options.MaxLength is int requested)
        {
            return requested <= context
                ? requested
                : throw new ArgumentOutOfRangeException(nameof(options), requested, $"OnnxModelOptions.MaxLength {requested} exceeds the model's context length {context}.");
        }

        return Math.Min(Math.Min(config.Search.MaxLength, context), OnnxModelOptions.DefaultMaxLengthCap);
    }

    private static async Task<(HuggingFaceTokenizer?, ChatTemplate?)> LoadTextAsync(string directory, OnnxModelOptions options, CancellationToken cancellationToken)
    {
        if (!File.Exists(Path.Combine(directory, "tokenizer.json")))
        {
            return options.RequireTokenizer
                ? throw new ModelLoadException(
                    $"{Path.Combine(directory, "tokenizer.json")} is missing: the model folder (or model.tokenizer_dir) must hold the Hugging Face tokenizer files. Set OnnxModelOptions.RequireTokenizer to false to drive the model by token ids alone.",
                    directory,
                    "model.tokenizer_dir")
                : (null, null);
        }

        HuggingFaceTokenizer tokenizer = await HuggingFaceTokenizer.CreateAsync(directory, cancellationToken: cancellationToken).ConfigureAwait(false);
        ChatTemplate? template = null;
        if (HasTemplate(directory))
        {
            template = await ChatTemplate.LoadAsync(directory, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        return (tokenizer, template);
    }

    private static bool HasTemplate(string directory)
    {
        if (File.Exists(Path.Combine(directory, "chat_template.jinja")) || File.Exists(Path.Combine(directory, "chat_template.json")))
        {
            return true;
        }

        string config = Path.Combine(directory, "tokenizer_config.json");
        return File.Exists(config) && File.ReadAllText(config).Contains("\"chat_template\"", StringComparison.Ordinal);
    }

    private static InferenceSession CreateSession(GenAIConfig config, OnnxModelOptions options, string configPath, string modelFile)
    {
        using SessionOptions sessionOptions = SessionFactory.CreateOptions(config, options, configPath);
        try
        {
            return Quantization.AccuracyLevelOverride.CreateSession(modelFile, sessionOptions, options.MatMulNBitsAccuracyLevel);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new ModelLoadException($"{modelFile} could not be loaded by ONNX Runtime: {ex.Message}", modelFile, "model.decoder.filename", ex);
        }
    }
}
