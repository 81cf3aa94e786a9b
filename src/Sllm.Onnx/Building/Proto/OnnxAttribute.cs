using Google.Protobuf;

namespace Sllm.Onnx.Building;

/// <summary>An ONNX <c>AttributeProto</c> of one of the kinds the decoder graph uses: float, int, ints or tensor.</summary>
internal sealed class OnnxAttribute : IOnnxMessage
{
    // Field numbers and AttributeType values from onnx.proto.
    private const int NameField = 1;
    private const int FloatField = 2;
    private const int IntField = 3;
    private const int TensorField = 5;
    private const int IntsField = 8;
    private const int TypeField = 20;
    private const int FloatType = 1;
    private const int IntType = 2;
    private const int TensorType = 4;
    private const int IntsType = 7;

    private readonly int _type;
    private readonly float _float;
    private readonly long _int;
    private readonly long[] _ints;
    private readonly OnnxTensor? _tensor;

    private OnnxAttribute(string name, int type, float f = 0, long i = 0, long[]? ints = null, OnnxTensor? tensor = null)
    {
        Name = name;
        _type = type;
        _float = f;
        _int = i;
        _ints = ints ?? [];
        _tensor = tensor;
    }

    public string Name { get; }

    public static OnnxAttribute Float(string name, float value) => new(name, FloatType, f: value);

    public static OnnxAttribute Int(string name, long value) => new(name, IntType, i: value);

    public static OnnxAttribute Ints(string name, params long[] values) => new(name, IntsType, ints: values);

    public static OnnxAttribute Tensor(string name, OnnxTensor value) => new(name, TensorType, tensor: value);

    public int CalculateSize()
    {
        int size = ProtoFields.StringSize(NameField, Name) + ProtoFields.Int64Size(TypeField, _type);
        return _type switch
        {
            FloatType => size + CodedOutputStream.ComputeTagSize(FloatField) + CodedOutputStream.ComputeFloatSize(_float),
            IntType => size + ProtoFields.Int64Size(IntField, _int),
            IntsType => size + ProtoFields.RepeatedInt64Size(IntsField, _ints),
            _ => size + ProtoFields.MessageSize(TensorField, _tensor!),
        };
    }

    public void WriteTo(CodedOutputStream output)
    {
        ProtoFields.WriteString(output, NameField, Name);
        switch (_type)
        {
            case FloatType:
                output.WriteTag(FloatField, WireFormat.WireType.Fixed32);
                output.WriteFloat(_float);
                break;
            case IntType:
                ProtoFields.WriteInt64(output, IntField, _int);
                break;
            case IntsType:
                ProtoFields.WriteRepeatedInt64(output, IntsField, _ints);
                break;
            default:
                ProtoFields.WriteMessage(output, TensorField, _tensor!);
                break;
        }

        ProtoFields.WriteInt64(output, TypeField, _type);
    }
}
