namespace Sllm.Onnx;

/// <summary>The decoder's graph input names (<c>model.decoder.inputs</c>), with ORT GenAI's defaults.</summary>
/// <remarks>
/// <c>%d</c> in a per-layer name stands for the layer index. A name that the graph lacks is simply not fed, as in
/// ORT GenAI. Immutable; safe to share between threads.
/// </remarks>
public sealed class GenAIDecoderInputNames
{
    internal GenAIDecoderInputNames()
    {
    }

    /// <summary>Gets <c>input_ids</c> (default <c>input_ids</c>).</summary>
    public string InputIds { get; internal init; } = "input_ids";

    /// <summary>Gets <c>inputs_embeds</c> (default <c>inputs_embeds</c>).</summary>
    public string InputsEmbeds { get; internal init; } = "inputs_embeds";

    /// <summary>Gets <c>attention_mask</c> (default <c>attention_mask</c>).</summary>
    public string AttentionMask { get; internal init; } = "attention_mask";

    /// <summary>Gets <c>position_ids</c> (default <c>position_ids</c>).</summary>
    public string PositionIds { get; internal init; } = "position_ids";

    /// <summary>Gets <c>past_key_names</c> (default <c>past_key_values.%d.key</c>).</summary>
    public string PastKeyNames { get; internal init; } = "past_key_values.%d.key";

    /// <summary>Gets <c>past_value_names</c> (default <c>past_key_values.%d.value</c>).</summary>
    public string PastValueNames { get; internal init; } = "past_key_values.%d.value";

    /// <summary>Gets <c>past_names</c>: one combined K/V tensor per layer (e.g. GPT-2's <c>past_%d</c>); null when K and V are separate.</summary>
    public string? PastNames { get; internal init; }

    /// <summary>Gets <c>past_conv_names</c>: convolution state of hybrid models such as LFM2 (default <c>past_conv.%d</c>).</summary>
    public string PastConvNames { get; internal init; } = "past_conv.%d";

    /// <summary>
    /// Gets the other input names ORT GenAI knows (<c>past_sequence_length</c>, <c>block_table</c>,
    /// <c>cache_indirection</c>, ...), keyed by their JSON key, when the file sets them.
    /// </summary>
    public IReadOnlyDictionary<string, string> Other { get; internal init; } = EmptyStrings.Dictionary;
}
