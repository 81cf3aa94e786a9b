using System.Diagnostics.CodeAnalysis;

namespace Sllm.Onnx.Lora;

/// <summary>The element type of an adapter tensor, with ONNX's <c>TensorProto.DataType</c> values (as <c>.onnx_adapter</c> files store them).</summary>
public enum LoraDataType
{
    /// <summary>32-bit float (ONNX <c>FLOAT</c>, 1).</summary>
    [SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "The members name ONNX tensor types, not .NET types.")]
    Float32 = 1,

    /// <summary>IEEE half (ONNX <c>FLOAT16</c>, 10).</summary>
    Float16 = 10,

    /// <summary>bfloat16 (ONNX <c>BFLOAT16</c>, 16).</summary>
    BFloat16 = 16,
}
