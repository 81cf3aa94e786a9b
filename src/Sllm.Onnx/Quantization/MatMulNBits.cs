using Sllm.Onnx.Building;

namespace Sllm.Onnx.Quantization;

/// <summary>
/// Writes <c>com.microsoft.MatMulNBits</c> nodes and their initializers with the names ONNX Runtime's Python quantizer
/// gives them: weight <c>W</c> becomes <c>W_Q4</c> (or <c>W_Q8</c>), <c>W_scales</c> and <c>W_zero_points</c>; node
/// <c>X</c> becomes <c>X_Q4</c>. The builder and <see cref="OnnxQuantizer"/> share it, so both write the same graph.
/// </summary>
internal static class MatMulNBits
{
    public const string OpType = "MatMulNBits";
    public const string Domain = "com.microsoft";

    public static string WeightName(string weight, int bits) => $"{weight}_Q{bits}";

    public static string ScalesName(string weight) => $"{weight}_scales";

    public static string ZeroPointsName(string weight) => $"{weight}_zero_points";

    public static OnnxNode Node(string matMulName, string input, string weight, string output, int k, int n, QuantizationSpec spec)
    {
        string[] inputs = spec.Symmetric
            ? [input, WeightName(weight, spec.Bits), ScalesName(weight)]
            : [input, WeightName(weight, spec.Bits), ScalesName(weight), ZeroPointsName(weight)];
        var attributes = new List<OnnxAttribute>
        {
            OnnxAttribute.Int("K", k),
            OnnxAttribute.Int("N", n),
            OnnxAttribute.Int("bits", spec.Bits),
            OnnxAttribute.Int("block_size", spec.BlockSize),
        };

        // The Python quantizer leaves the attribute out when it is 0 (unset); the kernel reads absence as 0.
        if (spec.AccuracyLevel > 0)
        {
            attributes.Add(OnnxAttribute.Int("accuracy_level", spec.AccuracyLevel));
        }

        return new OnnxNode($"{matMulName}_Q{spec.Bits}", OpType, Domain, inputs, [output], [.. attributes]);
    }

    /// <summary>Appends B, scales (in the activations' type) and zero points to the data file.</summary>
    public static async Task WriteAsync(QuantizedWeight weight, string name, OnnxDataType scaleType, ExternalDataWriter data, List<OnnxTensor> tensors, CancellationToken cancellationToken)
    {
        tensors.Add(await data.AppendRawAsync(WeightName(name, weight.Bits), OnnxDataType.UInt8, [weight.N, weight.Blocks, weight.BlobSize], weight.Packed, cancellationToken).ConfigureAwait(false));
        tensors.Add(await data.AppendRawAsync(ScalesName(name), scaleType, [weight.N, weight.Blocks], ScaleBytes(weight, scaleType), cancellationToken).ConfigureAwait(false));
        if (weight.ZeroPoints is { } zeroPoints)
        {
            tensors.Add(await data.AppendRawAsync(ZeroPointsName(name), OnnxDataType.UInt8, [weight.N, weight.ZeroPointRowBytes], zeroPoints, cancellationToken).ConfigureAwait(false));
        }
    }

    private static byte[] ScaleBytes(QuantizedWeight weight, OnnxDataType scaleType)
    {
        if (scaleType != OnnxDataType.Float16)
        {
            return weight.ScaleBytes.ToArray();
        }

        var bytes = new byte[weight.Scales.Length * 2];
        Span<Half> halves = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, Half>(bytes.AsSpan());
        System.Numerics.Tensors.TensorPrimitives.ConvertToHalf(weight.Scales, halves);
        return bytes;
    }
}
