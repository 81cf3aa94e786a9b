namespace Sllm.Onnx;

/// <summary>The <c>model.decoder</c> section: the decoder ONNX file, its session settings, shape facts and I/O names.</summary>
/// <remarks>Immutable; safe to share between threads.</remarks>
public sealed class GenAIDecoderConfig
{
    internal GenAIDecoderConfig()
    {
    }

    /// <summary>Gets <c>filename</c>: the ONNX file, relative to the model folder (never rooted, never containing <c>..</c>).</summary>
    public string Filename { get; internal init; } = string.Empty;

    /// <summary>Gets <c>session_options</c>.</summary>
    public GenAISessionOptions SessionOptions { get; internal init; } = new();

    /// <summary>Gets <c>run_options</c>: run config entries passed to every inference call.</summary>
    public IReadOnlyDictionary<string, string> RunOptions { get; internal init; } = EmptyStrings.Dictionary;

    /// <summary>Gets <c>hidden_size</c> (default 0; informational).</summary>
    public int HiddenSize { get; internal init; }

    /// <summary>Gets <c>num_attention_heads</c> (default 0; informational).</summary>
    public int NumAttentionHeads { get; internal init; }

    /// <summary>Gets <c>num_key_value_heads</c> (default 0): the KV cache's head count.</summary>
    public int NumKeyValueHeads { get; internal init; }

    /// <summary>Gets <c>num_hidden_layers</c> (default 0): the number of KV cache layers.</summary>
    public int NumHiddenLayers { get; internal init; }

    /// <summary>Gets <c>head_size</c> (default 0): the KV cache's last dimension.</summary>
    public int HeadSize { get; internal init; }

    /// <summary>Gets <c>layer_types</c> of hybrid models (<c>conv</c> / <c>full_attention</c> per layer); empty otherwise.</summary>
    public IReadOnlyList<string> LayerTypes { get; internal init; } = [];

    /// <summary>Gets <c>conv_cache_size</c> of hybrid models (default 0).</summary>
    public int ConvCacheSize { get; internal init; }

    /// <summary>Gets <c>inputs</c>: graph input names.</summary>
    public GenAIDecoderInputNames Inputs { get; internal init; } = new();

    /// <summary>Gets <c>outputs</c>: graph output names.</summary>
    public GenAIDecoderOutputNames Outputs { get; internal init; } = new();
}
