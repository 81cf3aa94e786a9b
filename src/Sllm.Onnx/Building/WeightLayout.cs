namespace Sllm.Onnx.Building;

/// <summary>How a <see cref="WeightPlan"/>'s bytes are made from its Hugging Face parts.</summary>
internal enum WeightLayout
{
    /// <summary>Parts of shape [out, in] are transposed and concatenated along out: ONNX [in, Σout], MatMul's B.</summary>
    Transposed,

    /// <summary>Parts are written in their own row-major order, one after the other (vectors, the embedding table).</summary>
    AsIs,

    /// <summary>
    /// Parts of shape [out, in] are concatenated along out into W [Σout, in] and quantized block-wise to
    /// <c>MatMulNBits</c>' B, scales and zero points (the plan's name is the float weight's; dims are [N, K]).
    /// </summary>
    Quantized,

    /// <summary>The rotary cosine cache [context, rotary_dim / 2], computed from the rope base.</summary>
    RotaryCos,

    /// <summary>The rotary sine cache [context, rotary_dim / 2].</summary>
    RotarySin,
}
