using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Sllm.Onnx.Runtime;

/// <summary>What the decoder graph takes and returns, checked against <c>genai_config.json</c>.</summary>
/// <remarks>Built once per model by <see cref="DecoderGraphReader"/>; immutable and shared by every generator.</remarks>
internal sealed class DecoderGraph
{
    public required string InputIds { get; init; }

    public required TensorElementType IdType { get; init; }

    public string? AttentionMask { get; init; }

    public TensorElementType MaskType { get; init; }

    public string? PositionIds { get; init; }

    public TensorElementType PositionType { get; init; }

    public required string Logits { get; init; }

    public required TensorElementType LogitsType { get; init; }

    /// <summary>True when logits cover every input position (<c>[B, S, V]</c>); false for pruned heads that emit <c>[B, 1, V]</c>.</summary>
    public bool LogitsForAllPositions { get; init; } = true;

    public required int VocabSize { get; init; }

    public required IReadOnlyList<KvLayer> KvLayers { get; init; }

    public bool CombinedKv { get; init; }

    public TensorElementType KvType { get; init; }

    public int KvHeads { get; init; }

    public int HeadSize { get; init; }

    public required IReadOnlyList<ConvStateLayer> ConvLayers { get; init; }

    /// <summary>The inputs an adapter may feed: the graph's overridable initializers (inputs with a default, such as the
    /// rank-0 LoRA weights), by name. They are never fed unless an adapter names them.</summary>
    public IReadOnlyDictionary<string, NodeMetadata> AdapterInputs { get; init; } = new Dictionary<string, NodeMetadata>();

    /// <summary>A model with recurrent state cannot be rewound: its state after N tokens cannot be recovered from a longer one.</summary>
    public bool CanRewind => ConvLayers.Count == 0;
}
