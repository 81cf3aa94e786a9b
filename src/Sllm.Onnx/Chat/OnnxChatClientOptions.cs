using Microsoft.Extensions.AI;

namespace Sllm.Onnx;

/// <summary>Options for an <see cref="OnnxChatClient"/>.</summary>
/// <remarks>Read when the client is created; later changes do not affect it. Binds from configuration
/// (<c>ModelPath</c>, <c>ModelId</c>, <c>StopSequences</c>, <c>DefaultMaxOutputTokens</c>, <c>Model:MaxLength</c>, ...). Not thread-safe.</remarks>
public sealed class OnnxChatClientOptions
{
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

    /// <summary>Gets or sets a prompt formatter that replaces the model's chat template; <see langword="null"/> (the default)
    /// renders the template from the model folder.</summary>
    public Func<IEnumerable<ChatMessage>, ChatOptions?, string>? PromptFormatter { get; set; }

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
        if (DefaultMaxOutputTokens is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(DefaultMaxOutputTokens), DefaultMaxOutputTokens, "DefaultMaxOutputTokens must be positive.");
        }

        foreach (string stop in StopSequences)
        {
            if (string.IsNullOrEmpty(stop))
            {
                throw new ArgumentException("A stop sequence is null or empty.", nameof(StopSequences));
            }
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
        PromptFormatter = PromptFormatter,
        TimeProvider = TimeProvider,
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
