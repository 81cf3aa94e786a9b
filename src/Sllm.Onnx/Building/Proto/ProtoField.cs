using System.Text;
using Google.Protobuf;

namespace Sllm.Onnx.Building;

/// <summary>
/// One field of a <see cref="ProtoMessage"/> as it was read (number, wire type, and the varint/fixed value or the
/// length-delimited bytes), or a replacement message to write in its place.
/// </summary>
/// <remarks>Length-delimited payloads are slices of the buffer the message was parsed from; they are not copied.</remarks>
internal readonly struct ProtoField
{
    private ProtoField(int number, WireFormat.WireType type, ulong value, ReadOnlyMemory<byte> bytes, IOnnxMessage? message)
    {
        Number = number;
        Type = type;
        Value = value;
        Bytes = bytes;
        Message = message;
    }

    public int Number { get; }

    public WireFormat.WireType Type { get; }

    /// <summary>Gets the varint, fixed32 or fixed64 value.</summary>
    public ulong Value { get; }

    /// <summary>Gets the payload of a length-delimited field read from the source.</summary>
    public ReadOnlyMemory<byte> Bytes { get; }

    /// <summary>Gets the message written in place of <see cref="Bytes"/>, when the field was replaced.</summary>
    public IOnnxMessage? Message { get; }

    public static ProtoField Read(int number, WireFormat.WireType type, ulong value, ReadOnlyMemory<byte> bytes) => new(number, type, value, bytes, null);

    public static ProtoField Of(int number, IOnnxMessage message) => new(number, WireFormat.WireType.LengthDelimited, 0, default, message);

    public static ProtoField Varint(int number, long value) => new(number, WireFormat.WireType.Varint, (ulong)value, default, null);

    public string AsString() => Encoding.UTF8.GetString(Bytes.Span);

    public ProtoMessage AsMessage() => Message as ProtoMessage ?? ProtoMessage.Parse(Bytes);

    public int CalculateSize()
    {
        int tag = CodedOutputStream.ComputeTagSize(Number);
        return Type switch
        {
            WireFormat.WireType.Varint => tag + CodedOutputStream.ComputeUInt64Size(Value),
            WireFormat.WireType.Fixed32 => tag + 4,
            WireFormat.WireType.Fixed64 => tag + 8,
            _ => tag + Length(out int length) + length,
        };
    }

    public void WriteTo(CodedOutputStream output)
    {
        output.WriteTag(Number, Type);
        switch (Type)
        {
            case WireFormat.WireType.Varint:
                output.WriteUInt64(Value);
                break;
            case WireFormat.WireType.Fixed32:
                output.WriteFixed32((uint)Value);
                break;
            case WireFormat.WireType.Fixed64:
                output.WriteFixed64(Value);
                break;
            default:
                if (Message is not null)
                {
                    output.WriteLength(Message.CalculateSize());
                    Message.WriteTo(output);
                }
                else
                {
                    output.WriteBytes(UnsafeByteOperations.UnsafeWrap(Bytes));
                }

                break;
        }
    }

    private int Length(out int length)
    {
        length = Message?.CalculateSize() ?? Bytes.Length;
        return CodedOutputStream.ComputeLengthSize(length);
    }
}
