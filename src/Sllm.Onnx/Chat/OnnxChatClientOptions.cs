using Microsoft.Extensions.AI;

namespace Sllm.Onnx;

/// <summary>Options for an <see cref="OnnxChatClient"/>.</summary>
/// <remarks>Read when the client is created; later changes do not affect it. Binds from configuration
/// (<c>ModelPath</c>, <c>ModelId</c>, <c>StopSequences</c>, <c>DefaultMaxOutputTokens</c>, <c>PrefixCacheMaxBytes</c>, <c>Model:MaxLength</c>, ...). Not thread-safe.</remarks>
public sealed class OnnxChatClientOptions
{
    /// <summary>The default <see cref="PrefixCacheMaxBytes"/>: 256 MiB.</summary>
    public const long DefaultPrefixCacheMaxBytes = 256L * 1024 * 1024;

    /// <summary>Gets or sets the model folder, for dependency injection registrations that take it from configuration.</summary>
    public string? ModelPath { get; set; }

    /// <summary>Gets or sets the model id reported in responses and checked against <see cref="ChatOptions.ModelId"/>;
    /// <see langword="null"/> (the default) uses the model folder's name.</summary>
    public string? ModelId { get; set; }

    /// <summary>Gets or sets the options for loading the model.</summary>
    public OnnxModelOptions Model { get; set; } = new();

    /// <summary>Gets the stop sequences applied to every request, in addition to <see cref="ChatOptions.StopSequences"/>.</summary>
    public IList<string> StopSequences { get; set; } = [];

    /// <summary>Gets or sets the output cap when a request sets no <see cref="ChatOptions.MaxOutputTokens"/>; <see langword="null"/>
    /// (the default) lets generation run to <see cref="OnnxModel.MaxLength"/>.</summary>
    public int? DefaultMaxOutputTokens { get; set; }

    /// <summary>Gets or sets the memory the prefix cache may hold, in bytes; 0 turns it off. The default is 256 MiB.</summary>
    /// <remarks>After a request the client keeps its generator (sequence and KV cache) while the idle generators fit this budget,
    /// evicting the least recently used. A later request whose prompt starts with a kept sequence (the same system prompt, the
    /// earlier turns of the chat) prefills only the tokens after the shared prefix; the reused count is reported as
    /// <see cref="UsageDetails.CachedInputTokenCount"/>. A kept generator with a shared KV buffer holds
    /// <see cref="OnnxModel.MaxLength"/> positions of KV per layer, so one entry of a 0.5B Qwen2.5-shaped fp32 model at 4,096
    /// tokens is about 100 MB.</remarks>
    public long PrefixCacheMaxBytes { get; set; } = DefaultPrefixCacheMaxBytes;

    /// <summary>Gets or sets a prompt formatter that replaces the model's chat template; <see langword="null"/> (the default)
    /// renders the template from the model folder.</summary>
    public Func<IEnumerable<ChatMessage>, ChatOptions?, string>? PromptFormatter { get; set; }

    /// <summary>Gets or sets the default speculative decoding of every request (a request may override it with
    /// <see cref="SpeculationChatOptionsExtensions.WithSpeculation"/>); <see langword="null"/> (the default) is off.</summary>
    public SpeculativeDecodingOptions? Speculation { get; set; }

    /// <summary>Gets or sets how the model writes tool calls; <see langword="null"/> (the default) detects it from the chat
    /// template and the tokenizer's added tokens (see docs/tool-calling.md).</summary>
    public ToolCallFormat? ToolCallFormat { get; set; }

    /// <summary>Gets or sets the LoRA adapters loaded when the client is created: name → <c>.onnx_adapter</c> path (configuration
    /// section <c>Adapters</c>). More can be loaded later through <see cref="OnnxChatClient.Adapters"/>.</summary>
    public IDictionary<string, string> Adapters { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Gets or sets the adapter used by requests that do not choose one; <see langword="null"/> (the default) is the base
    /// model. It must name an entry of <see cref="Adapters"/>.</summary>
    public string? DefaultAdapter { get; set; }

    /// <summary>Gets or sets the clock for <see cref="ChatResponse.CreatedAt"/> and the template's <c>strftime_now</c>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentException">An option is out of range or a stop sequence is empty.</exception>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Model, nameof(Model));
        ArgumentNullException.ThrowIfNull(StopSequences, nameof(StopSequences));
        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
        Model.Validate();
        Speculation?.Validate();
        if (DefaultMaxOutputTokens is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(DefaultMaxOutputTokens), DefaultMaxOutputTokens, "DefaultMaxOutputTokens must be positive.");
        }

        if (PrefixCacheMaxBytes < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(PrefixCacheMaxBytes), PrefixCacheMaxBytes, "PrefixCacheMaxBytes cannot be negative; use 0 to turn the prefix cache off.");
        }

        foreach (string stop in StopSequences)
        {
            if (string.IsNullOrEmpty(stop))
            {
                throw new ArgumentException("A stop sequence is null or empty.", nameof(StopSequences));
            }
        }

        if (ToolCallFormat is { } format && !Enum.IsDefined(format))
        {
            throw new ArgumentOutOfRangeException(nameof(ToolCallFormat), format, "Unknown tool-call format.");
        }

        ValidateAdapters();

        if (ModelId is { Length: 0 })
        {
            throw new ArgumentException("ModelId cannot be empty.", nameof(ModelId));
        }
    }

    internal OnnxChatClientOptions Clone() => new()
    {
        Adapters = new Dictionary<string, string>(Adapters, StringComparer.Ordinal),
        DefaultAdapter = DefaultAdapter,
        ModelPath = ModelPath,
        ModelId = ModelId,
        Model = Model.Clone(),
        StopSequences = [.. StopSequences],
        DefaultMaxOutputTokens = DefaultMaxOutputTokens,
        PrefixCacheMaxBytes = PrefixCacheMaxBytes,
        PromptFormatter = PromptFormatter,
        TimeProvider = TimeProvider,
        Speculation = Speculation?.Clone(),
        ToolCallFormat = ToolCallFormat,
    };

    private void ValidateAdapters()
    {
        ArgumentNullException.ThrowIfNull(Adapters, nameof(Adapters));
        foreach (KeyValuePair<string, string> entry in Adapters)
        {
            if (string.IsNullOrEmpty(entry.Key) || string.IsNullOrWhiteSpace(entry.Value))
            {
                throw new ArgumentException($"Adapters has an entry with an empty name or path ('{entry.Key}' → '{entry.Value}').", nameof(Adapters));
            }
        }

        if (DefaultAdapter is not null && !Adapters.ContainsKey(DefaultAdapter))
        {
            throw new ArgumentException($"DefaultAdapter '{DefaultAdapter}' is not one of Adapters ({string.Join(", ", Adapters.Keys)}).", nameof(DefaultAdapter));
        }
    }
}
