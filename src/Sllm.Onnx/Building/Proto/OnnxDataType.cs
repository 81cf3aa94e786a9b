namespace Sllm.Onnx.Building;

/// <summary>The <c>TensorProto.DataType</c> values the builder writes (numbers from onnx.proto).</summary>
internal enum OnnxDataType
{
    Float = 1,
    UInt8 = 2,
    Int32 = 6,
    Int64 = 7,
    Float16 = 10,
}
