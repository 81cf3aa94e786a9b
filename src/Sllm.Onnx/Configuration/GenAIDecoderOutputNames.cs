namespace Sllm.Onnx;

/// <summary>The decoder's graph output names (<c>model.decoder.outputs</c>), with ORT GenAI's defaults.</summary>
/// <remarks><c>%d</c> in a per-layer name stands for the layer index. Immutable; safe to share between threads.</remarks>
public sealed class GenAIDecoderOutputNames
{
    internal GenAIDecoderOutputNames()
    {
    }

    /// <summary>Gets <c>logits</c> (default <c>logits</c>).</summary>
    public string Logits { get; internal init; } = "logits";

    /// <summary>Gets <c>present_key_names</c> (default <c>present.%d.key</c>).</summary>
    public string PresentKeyNames { get; internal init; } = "present.%d.key";

    /// <summary>Gets <c>present_value_names</c> (default <c>present.%d.value</c>).</summary>
    public string PresentValueNames { get; internal init; } = "present.%d.value";

    /// <summary>Gets <c>present_names</c>: one combined K/V tensor per layer (e.g. GPT-2's <c>present_%d</c>); null when K and V are separate.</summary>
    public string? PresentNames { get; internal init; }

    /// <summary>Gets <c>present_conv_names</c>: convolution state of hybrid models such as LFM2 (default <c>present_conv.%d</c>).</summary>
    public string PresentConvNames { get; internal init; } = "present_conv.%d";

    /// <summary>Gets <c>hidden_states</c>, or null when the file does not name it.</summary>
    public string? HiddenStates { get; internal init; }

    /// <summary>Gets the other output names ORT GenAI knows (<c>rnn_states</c>, ...), keyed by their JSON key.</summary>
    public IReadOnlyDictionary<string, string> Other { get; internal init; } = EmptyStrings.Dictionary;
}
