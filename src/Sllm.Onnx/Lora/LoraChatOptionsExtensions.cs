using Microsoft.Extensions.AI;

namespace Sllm.Onnx.Lora;

/// <summary>Per-request LoRA adapter selection on <see cref="ChatOptions"/>, stored in <see cref="ChatOptions.AdditionalProperties"/>.</summary>
/// <remarks>The value is the name of an adapter in the client's <see cref="LoraAdapterRegistry"/>; an empty name asks for the base
/// model even when the client has a default adapter. Requests without the key use <see cref="OnnxChatClientOptions.DefaultAdapter"/>.</remarks>
public static class LoraChatOptionsExtensions
{
    /// <summary>The <see cref="ChatOptions.AdditionalProperties"/> key holding the adapter name.</summary>
    public const string AdapterKey = "sllm.adapter";

    /// <summary>Selects a resident adapter for requests made with these options.</summary>
    /// <param name="options">The options to change.</param>
    /// <param name="name">The adapter's name in the client's registry.</param>
    /// <returns><paramref name="options"/>, for chaining.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    public static ChatOptions WithAdapter(this ChatOptions options, string name)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(name);
        (options.AdditionalProperties ??= [])[AdapterKey] = name;
        return options;
    }

    /// <summary>Runs requests made with these options on the base model, even when the client has a default adapter.</summary>
    /// <param name="options">The options to change.</param>
    /// <returns><paramref name="options"/>, for chaining.</returns>
    public static ChatOptions WithBaseModel(this ChatOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        (options.AdditionalProperties ??= [])[AdapterKey] = string.Empty;
        return options;
    }

    /// <summary>Reads the adapter selection.</summary>
    /// <param name="options">The options, or <see langword="null"/>.</param>
    /// <returns>The adapter name; the empty string for the base model; <see langword="null"/> when the options do not choose.</returns>
    /// <exception cref="ArgumentException">The stored value is not a string.</exception>
    public static string? GetAdapter(this ChatOptions? options)
    {
        if (options?.AdditionalProperties is not { } properties || !properties.TryGetValue(AdapterKey, out object? value) || value is null)
        {
            return null;
        }

        return value as string
            ?? throw new ArgumentException($"ChatOptions.AdditionalProperties['{AdapterKey}'] must be an adapter name (a string), not '{value}'.", nameof(options));
    }
}
