using Google.Protobuf;

namespace Sllm.Onnx.Building;

/// <summary>Size and write helpers for the field shapes the ONNX messages use.</summary>
/// <remarks>
/// ONNX's schema is proto2, so repeated integers are written unpacked, as the reference Python writer does; every
/// protobuf parser accepts that form.
/// </remarks>
internal static class ProtoFields
{
    public static int MessageSize(int field, IOnnxMessage message)
    {
        int size = message.CalculateSize();
        return CodedOutputStream.ComputeTagSize(field) + CodedOutputStream.ComputeLengthSize(size) + size;
    }

    public static void WriteMessage(CodedOutputStream output, int field, IOnnxMessage message)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteLength(message.CalculateSize());
        message.WriteTo(output);
    }

    public static int StringSize(int field, string value) =>
        CodedOutputStream.ComputeTagSize(field) + CodedOutputStream.ComputeStringSize(value);

    public static void WriteString(CodedOutputStream output, int field, string value)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteString(value);
    }

    public static int Int64Size(int field, long value) =>
        CodedOutputStream.ComputeTagSize(field) + CodedOutputStream.ComputeInt64Size(value);

    public static void WriteInt64(CodedOutputStream output, int field, long value)
    {
        output.WriteTag(field, WireFormat.WireType.Varint);
        output.WriteInt64(value);
    }

    public static int RepeatedInt64Size(int field, IReadOnlyList<long> values)
    {
        int size = 0;
        foreach (long value in values)
        {
            size += Int64Size(field, value);
        }

        return size;
    }

    public static void WriteRepeatedInt64(CodedOutputStream output, int field, IReadOnlyList<long> values)
    {
        foreach (long value in values)
        {
            WriteInt64(output, field, value);
        }
    }

    public static int RepeatedMessageSize<T>(int field, IReadOnlyList<T> messages)
        where T : IOnnxMessage
    {
        int size = 0;
        foreach (T message in messages)
        {
            size += MessageSize(field, message);
        }

        return size;
    }

    public static void WriteRepeatedMessage<T>(CodedOutputStream output, int field, IReadOnlyList<T> messages)
        where T : IOnnxMessage
    {
        foreach (T message in messages)
        {
            WriteMessage(output, field, message);
        }
    }
}
