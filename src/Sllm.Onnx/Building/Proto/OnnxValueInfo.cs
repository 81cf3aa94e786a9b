using Google.Protobuf;

namespace Sllm.Onnx.Building;

/// <summary>
/// An ONNX <c>ValueInfoProto</c> for a tensor: the name, element type and shape of a graph input or output, written
/// with its nested <c>TypeProto</c>, <c>TypeProto.Tensor</c>, <c>TensorShapeProto</c> and <c>Dimension</c> messages.
/// </summary>
internal sealed class OnnxValueInfo(string name, OnnxDataType elementType, OnnxDimension[] shape) : IOnnxMessage
{
    public string Name { get; } = name;

    public OnnxDataType ElementType { get; } = elementType;

    public IReadOnlyList<OnnxDimension> Shape { get; } = shape;

    public int CalculateSize()
    {
        int tensorType = TensorTypeSize();
        int typeProto = Wrapped(1, tensorType);
        return ProtoFields.StringSize(1, Name) + Wrapped(2, typeProto);
    }

    public void WriteTo(CodedOutputStream output)
    {
        ProtoFields.WriteString(output, 1, Name);

        // ValueInfoProto.type (2) → TypeProto.tensor_type (1) → elem_type (1), shape (2) → dim (1).
        int tensorType = TensorTypeSize();
        output.WriteTag(2, WireFormat.WireType.LengthDelimited);
        output.WriteLength(Wrapped(1, tensorType));
        output.WriteTag(1, WireFormat.WireType.LengthDelimited);
        output.WriteLength(tensorType);
        ProtoFields.WriteInt64(output, 1, (long)ElementType);
        output.WriteTag(2, WireFormat.WireType.LengthDelimited);
        output.WriteLength(ShapeSize());
        foreach (OnnxDimension dim in Shape)
        {
            output.WriteTag(1, WireFormat.WireType.LengthDelimited);
            output.WriteLength(DimensionSize(dim));
            if (dim.Param is { } param)
            {
                ProtoFields.WriteString(output, 2, param);
            }
            else
            {
                ProtoFields.WriteInt64(output, 1, dim.Value);
            }
        }
    }

    private static int Wrapped(int field, int size) =>
        CodedOutputStream.ComputeTagSize(field) + CodedOutputStream.ComputeLengthSize(size) + size;

    private static int DimensionSize(OnnxDimension dim) =>
        dim.Param is { } param ? ProtoFields.StringSize(2, param) : ProtoFields.Int64Size(1, dim.Value);

    private int ShapeSize()
    {
        int size = 0;
        foreach (OnnxDimension dim in Shape)
        {
            size += Wrapped(1, DimensionSize(dim));
        }

        return size;
    }

    private int TensorTypeSize() => ProtoFields.Int64Size(1, (long)ElementType) + Wrapped(2, ShapeSize());
}
