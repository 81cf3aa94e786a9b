namespace Sllm.Onnx.Quantization;

/// <summary>A validated, immutable copy of <see cref="QuantizationOptions"/>, taken when a build or quantization starts.</summary>
internal sealed record QuantizationSpec(int Bits, int BlockSize, bool Symmetric, int AccuracyLevel, bool QuantizeLmHead)
{
    public static QuantizationSpec From(QuantizationOptions options)
    {
        options.Validate();
        return new(options.Bits, options.BlockSize, options.Symmetric, options.AccuracyLevel, options.QuantizeLmHead);
    }
}
