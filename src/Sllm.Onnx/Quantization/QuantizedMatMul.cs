using Sllm.Onnx.Building;

namespace Sllm.Onnx.Quantization;

/// <summary>A <c>MatMul</c> node the quantizer rewrites: its name, activation input, output and constant weight.</summary>
internal sealed record QuantizedMatMul(string Name, string Input, string Output, TensorView Weight)
{
    public OnnxNode Node(QuantizationSpec spec) =>
        MatMulNBits.Node(Name.Length > 0 ? Name : $"{Weight.Name}/MatMul", Input, Weight.Name, Output, (int)Weight.Dims[0], (int)Weight.Dims[1], spec);
}
