namespace Sllm.Onnx.Quantization;

/// <summary>
/// How MatMul weights become <c>com.microsoft.MatMulNBits</c> weights: bits, block size, zero points and the compute
/// precision ONNX Runtime may use. Used by <see cref="OnnxQuantizer"/> and by the model builder
/// (<see cref="Building.ModelBuilderOptions.Quantization"/>).
/// </summary>
/// <remarks>
/// Quantization is round-to-nearest, block-wise along the input dimension, byte for byte what ONNX Runtime's Python
/// <c>matmul_nbits_quantizer</c> (its <c>DEFAULT</c> algorithm, MLAS <c>quantize_matmul_4bits/8bits</c>) writes for the
/// same settings. Plain data; read once when a quantization starts. Not thread-safe while being changed.
/// </remarks>
public sealed class QuantizationOptions
{
    /// <summary>Gets or sets the bits per weight: 4 (int4) or 8 (int8).</summary>
    /// <value>The default is 4.</value>
    public int Bits { get; set; } = 4;

    /// <summary>Gets or sets the number of consecutive input-dimension weights that share one scale (and zero point).</summary>
    /// <value>The default is 32, as ORT GenAI's model builder writes; a power of two from 16 to 256.</value>
    public int BlockSize { get; set; } = 32;

    /// <summary>
    /// Gets or sets a value indicating whether blocks are symmetric around zero (no <c>zero_points</c> input; the implicit
    /// zero point is 8 for int4, 128 for int8) rather than min/max with a stored zero point per block.
    /// </summary>
    /// <value>
    /// The default is <see langword="false"/> (asymmetric, with zero points), the default of ONNX Runtime's Python
    /// quantizer; ORT GenAI's model builder writes symmetric blocks.
    /// </value>
    public bool Symmetric { get; set; }

    /// <summary>
    /// Gets or sets the <c>accuracy_level</c> attribute: the lowest precision ONNX Runtime may compute in. 0 leaves it to
    /// the kernel (float), 1 float32, 2 float16, 3 bfloat16, 4 int8 activations (the fast CPU path).
    /// </summary>
    /// <value>The default is 4, as ORT GenAI's model builder writes for the CPU.</value>
    public int AccuracyLevel { get; set; } = 4;

    /// <summary>Gets or sets a value indicating whether the output projection (the MatMul that produces <c>logits</c>) is quantized too.</summary>
    /// <value>
    /// The default is <see langword="true"/>: on small models the vocabulary-sized head is a third of the weights read per
    /// token. A float head costs speed and keeps logits closer to the float model.
    /// </value>
    public bool QuantizeLmHead { get; set; } = true;

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range; the parameter name is the property's.</exception>
    public void Validate()
    {
        if (Bits is not (4 or 8))
        {
            throw new ArgumentOutOfRangeException(nameof(Bits), Bits, "Bits must be 4 or 8.");
        }

        if (BlockSize < 16 || BlockSize > 256 || (BlockSize & (BlockSize - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(BlockSize), BlockSize, "BlockSize must be a power of two from 16 to 256.");
        }

        if (AccuracyLevel is < 0 or > 4)
        {
            throw new ArgumentOutOfRangeException(nameof(AccuracyLevel), AccuracyLevel, "AccuracyLevel must be 0 (unset), 1 (fp32), 2 (fp16), 3 (bf16) or 4 (int8).");
        }
    }
}
