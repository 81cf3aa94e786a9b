using Sllm.Onnx.Quantization;

namespace Sllm.Onnx.Building;

/// <summary>The validated, resolved facts of the model being built (head size, vocabulary and biases decided).</summary>
internal sealed record DecoderShape(
    ModelFamily Family,
    int HiddenSize,
    int NumLayers,
    int NumHeads,
    int NumKvHeads,
    int HeadSize,
    int IntermediateSize,
    int VocabSize,
    int ContextLength,
    double RopeTheta,
    double Epsilon,
    ModelPrecision Precision,
    bool TieEmbeddings,
    bool FuseRotary,
    bool AttentionBias,
    int SlidingWindow,
    QuantizationSpec? Quantization = null,
    LoraTargetModules LoraTargets = LoraTargetModules.None)
{
    public OnnxDataType IoType => Precision == ModelPrecision.Float16 ? OnnxDataType.Float16 : OnnxDataType.Float;

    public int BytesPerElement => Precision == ModelPrecision.Float16 ? 2 : 4;

    public int QSize => NumHeads * HeadSize;

    public int KvSize => NumKvHeads * HeadSize;

    public string TypeName => Family switch
    {
        ModelFamily.Qwen2 => "qwen2",
        ModelFamily.Phi3 => "phi3",
        ModelFamily.Mistral => "mistral",
        _ => "llama",
    };

    public static DecoderShape From(ModelBuilderOptions options, int vocabSize) => new(
        options.Family,
        options.HiddenSize,
        options.NumLayers,
        options.NumAttentionHeads,
        options.NumKeyValueHeads,
        options.EffectiveHeadSize,
        options.IntermediateSize,
        vocabSize,
        options.ContextLength,
        options.RopeTheta,
        options.RmsNormEpsilon,
        options.Precision,
        options.TieWordEmbeddings,
        options.FuseRotary,
        options.EffectiveAttentionBias,
        options.SlidingWindow ?? -1,
        options.Quantization is { } quantization ? QuantizationSpec.From(quantization) : null,
        options.LoraTargets);
}
