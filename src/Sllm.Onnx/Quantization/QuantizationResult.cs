namespace Sllm.Onnx.Quantization;

/// <summary>What <see cref="OnnxQuantizer.QuantizeAsync"/> wrote.</summary>
/// <param name="Directory">The full path of the quantized model folder.</param>
/// <param name="QuantizedMatMuls">The number of <c>MatMul</c> nodes rewritten as <c>MatMulNBits</c>.</param>
/// <param name="SourceBytes">The size of the source folder's top-level files.</param>
/// <param name="TargetBytes">The size of the files written.</param>
public sealed record QuantizationResult(string Directory, int QuantizedMatMuls, long SourceBytes, long TargetBytes);
