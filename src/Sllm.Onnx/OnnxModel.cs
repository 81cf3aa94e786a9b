using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;
using Sllm.ChatTemplates;
using Sllm.Generation;
using Sllm.Onnx.Runtime;
using Sllm.Tokenization;

namespace Sllm.Onnx;

/// <summary>A loaded ONNX Runtime GenAI model folder: the decoder session, its config, tokenizer and chat template.</summary>
/// <remarks>
/// <para>Load with <see cref="CreateAsync"/>; generate with <see cref="CreateGenerator"/> (token level) or through
/// <see cref="OnnxChatClient"/>. The model is thread-safe: any number of generators may run on it concurrently, each with its
/// own KV cache, because ONNX Runtime sessions accept concurrent <c>Run</c> calls.</para>
/// <para>The model owns its ONNX Runtime session; dispose it after every generator created from it.</para>
/// </remarks>
public sealed partial class OnnxModel : IDisposable
{
    private readonly InferenceSession session;
    private readonly SamplingOptions defaultSampling;
    private int disposed;

    private OnnxModel(
        string directory,
        string modelFile,
        GenAIConfig config,
        InferenceSession session,
        DecoderGraph graph,
        HuggingFaceTokenizer? tokenizer,
        ChatTemplate? chatTemplate,
        int maxLength,
        ILogger logger)
    {
        Directory = directory;
        ModelFile = modelFile;
        Config = config;
        this.session = session;
        Graph = graph;
        Tokenizer = tokenizer;
        ChatTemplate = chatTemplate;
        MaxLength = maxLength;
        Logger = logger;
        MaskCache = new OnesMaskCache(graph.MaskType);
        defaultSampling = SamplingFromConfig(config.Search);
    }

    /// <summary>Gets the model folder (full path).</summary>
    public string Directory { get; }

    /// <summary>Gets the decoder ONNX file (full path).</summary>
    public string ModelFile { get; }

    /// <summary>Gets the parsed <c>genai_config.json</c>.</summary>
    public GenAIConfig Config { get; }

    /// <summary>Gets the model type from the config, such as <c>llama</c> or <c>qwen2</c>.</summary>
    public string ModelType => Config.Model.Type;

    /// <summary>Gets the tokenizer, or <see langword="null"/> when the folder has none and <see cref="OnnxModelOptions.RequireTokenizer"/> was false.</summary>
    public HuggingFaceTokenizer? Tokenizer { get; }

    /// <summary>Gets the chat template from the tokenizer folder, or <see langword="null"/> when it has none.</summary>
    public ChatTemplate? ChatTemplate { get; }

    /// <summary>Gets the model's context length (<c>model.context_length</c>): the most tokens a generation could ever hold.</summary>
    public int ContextLength => Config.Model.ContextLength;

    /// <summary>Gets the default total length (prompt plus output) of a generation; see <see cref="OnnxModelOptions.MaxLength"/>.</summary>
    public int MaxLength { get; }

    /// <summary>Gets the size of the logits' last dimension.</summary>
    public int VocabularySize => Graph.VocabSize;

    /// <summary>Gets the token ids that end a sequence (<c>model.eos_token_id</c>).</summary>
    public IReadOnlyList<int> EosTokenIds => Config.Model.EosTokenIds;

    /// <summary>Gets the token id fed to finished and padded rows of a batch (<c>model.pad_token_id</c>).</summary>
    public int PadTokenId => Config.Model.PadTokenId;

    /// <summary>Gets whether generators of this model can rewind; models with recurrent state (LFM2's convolution cache) cannot.</summary>
    public bool CanRewind => Graph.CanRewind;

    /// <summary>Gets the sampling settings of the config's <c>search</c> section, as a new copy on each call.</summary>
    public SamplingOptions DefaultSamplingOptions => defaultSampling.Clone();

    internal DecoderGraph Graph { get; }

    internal OnesMaskCache MaskCache { get; }

    internal ILogger Logger { get; }

    internal InferenceSession Session
    {
        get
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
            return session;
        }
    }

    /// <summary>Creates a generator: one independent sequence state (or a batch of them) with its own KV cache.</summary>
    /// <param name="options">Length, batch, sampling and cache settings; <see langword="null"/> for the model's defaults.</param>
    /// <returns>A generator the caller owns and must dispose before this model.</returns>
    /// <exception cref="ArgumentException"><paramref name="options"/> is invalid for this model.</exception>
    /// <exception cref="ObjectDisposedException">The model was disposed.</exception>
    public Generator CreateGenerator(GeneratorOptions? options = null)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        return new Generator(this, options ?? new GeneratorOptions());
    }

    /// <summary>Releases the ONNX Runtime session and shared buffers.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 0)
        {
            session.Dispose();
            MaskCache.Dispose();
        }
    }

    internal SamplingOptions ResolveSampling(SamplingOptions? requested) => requested?.Clone() ?? defaultSampling.Clone();

    private static SamplingOptions SamplingFromConfig(GenAISearchOptions search) => new()
    {
        DoSample = search.DoSample,
        Temperature = (float)search.Temperature,
        TopK = search.TopK,
        TopP = (float)search.TopP,
        RepetitionPenalty = (float)search.RepetitionPenalty,
        NoRepeatNgramSize = search.NoRepeatNgramSize,
        MinLength = search.MinLength,
        Seed = search.RandomSeed >= 0 ? search.RandomSeed : null,
    };

    private static ILogger CreateLogger(OnnxModelOptions options) =>
        options.LoggerFactory?.CreateLogger("Sllm.Onnx") ?? NullLogger.Instance;
}
