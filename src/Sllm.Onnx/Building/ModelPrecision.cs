using System.Diagnostics.CodeAnalysis;

namespace Sllm.Onnx.Building;

/// <summary>The floating-point type of a built model's weights, activations, KV cache and logits.</summary>
public enum ModelPrecision
{
    /// <summary>32-bit floats everywhere (ORT GenAI's <c>-p fp32 -e cpu</c>).</summary>
    [SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "The members name IEEE number formats, not .NET types.")]
    Float32,

    /// <summary>
    /// 16-bit floats for weights, activations, KV cache and logits; <c>input_ids</c> and <c>attention_mask</c> stay int64.
    /// </summary>
    [SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "The members name IEEE number formats, not .NET types.")]
    Float16,
}
