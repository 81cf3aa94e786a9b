using Microsoft.Extensions.AI;

namespace Sllm.Onnx;

/// <summary>Per-request speculative decoding for <see cref="OnnxChatClient"/>, carried in
/// <see cref="ChatOptions.AdditionalProperties"/> under <see cref="PropertyName"/>.</summary>
/// <remarks>A request's setting replaces the client's <see cref="OnnxChatClientOptions.Speculation"/>; the options are
/// copied when the request starts. Other clients ignore the property.</remarks>
public static class SpeculationChatOptionsExtensions
{
    /// <summary>The <see cref="ChatOptions.AdditionalProperties"/> key holding the request's <see cref="SpeculativeDecodingOptions"/>.</summary>
    public const string PropertyName = "sllm.speculation";

    /// <summary>Turns speculative decoding on (or changes it) for requests made with these options.</summary>
    /// <param name="options">The chat options to change.</param>
    /// <param name="speculation">The settings; validated here.</param>
    /// <returns><paramref name="options"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="speculation"/> is invalid.</exception>
    public static ChatOptions WithSpeculation(this ChatOptions options, SpeculativeDecodingOptions speculation)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(speculation);
        speculation.Validate();
        (options.AdditionalProperties ??= [])[PropertyName] = speculation.Clone();
        return options;
    }

    /// <summary>Turns prompt lookup decoding on for requests made with these options.</summary>
    /// <param name="options">The chat options to change.</param>
    /// <param name="maxDraftTokens">The most tokens verified per target pass.</param>
    /// <returns><paramref name="options"/>, for chaining.</returns>
    public static ChatOptions WithPromptLookup(this ChatOptions options, int maxDraftTokens = 8) =>
        options.WithSpeculation(new SpeculativeDecodingOptions
        {
            Mode = SpeculationMode.PromptLookup,
            MaxDraftTokens = maxDraftTokens,
            InitialDraftTokens = Math.Min(4, maxDraftTokens),
        });

    /// <summary>Turns speculative decoding off for requests made with these options, whatever the client's default.</summary>
    /// <param name="options">The chat options to change.</param>
    /// <returns><paramref name="options"/>, for chaining.</returns>
    public static ChatOptions WithoutSpeculation(this ChatOptions options) =>
        options.WithSpeculation(new SpeculativeDecodingOptions { Mode = SpeculationMode.None });

    /// <summary>Returns the request's speculative decoding settings, or <see langword="null"/> when it sets none.</summary>
    /// <param name="options">The chat options.</param>
    /// <returns>The settings stored by <see cref="WithSpeculation"/>.</returns>
    /// <exception cref="ArgumentException">The property holds something other than <see cref="SpeculativeDecodingOptions"/>.</exception>
    public static SpeculativeDecodingOptions? GetSpeculation(this ChatOptions? options) =>
        options?.AdditionalProperties?.TryGetValue(PropertyName, out object? value) == true
            ? value as SpeculativeDecodingOptions ?? throw new ArgumentException($"ChatOptions.AdditionalProperties['{PropertyName}'] must be SpeculativeDecodingOptions, not '{value}'.", nameof(options))
            : null;
}
