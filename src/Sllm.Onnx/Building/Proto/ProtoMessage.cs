using System.Buffers.Binary;
using Google.Protobuf;

namespace Sllm.Onnx.Building;

/// <summary>
/// A protobuf message read field by field, without a schema: every field keeps its number, wire type and bytes, so a
/// message re-written after a few fields were replaced is otherwise byte-identical to what was read. This is how
/// <see cref="Quantization.OnnxQuantizer"/> edits models that use fields and operators it knows nothing about.
/// </summary>
/// <remarks>Not thread-safe while being changed. Proto2 groups (wire types 3 and 4, unused by ONNX) are rejected.</remarks>
internal sealed class ProtoMessage : IOnnxMessage
{
    private ProtoMessage(List<ProtoField> fields) => Fields = fields;

    /// <summary>Gets the fields in file order; change the list to change the message.</summary>
    public List<ProtoField> Fields { get; }

    /// <summary>Parses one message (no length prefix).</summary>
    /// <exception cref="InvalidDataException">The bytes are not a well-formed protobuf message.</exception>
    public static ProtoMessage Parse(ReadOnlyMemory<byte> data)
    {
        var fields = new List<ProtoField>();
        ReadOnlySpan<byte> span = data.Span;
        int position = 0;
        while (position < span.Length)
        {
            ulong tag = ReadVarint(span, ref position);
            int number = (int)(tag >> 3);
            var type = (WireFormat.WireType)(tag & 7);
            if (number <= 0)
            {
                throw new InvalidDataException($"Field number {number} at byte {position} is invalid.");
            }

            switch (type)
            {
                case WireFormat.WireType.Varint:
                    fields.Add(ProtoField.Read(number, type, ReadVarint(span, ref position), default));
                    break;
                case WireFormat.WireType.Fixed32:
                    Need(span, position, 4);
                    fields.Add(ProtoField.Read(number, type, BinaryPrimitives.ReadUInt32LittleEndian(span[position..]), default));
                    position += 4;
                    break;
                case WireFormat.WireType.Fixed64:
                    Need(span, position, 8);
                    fields.Add(ProtoField.Read(number, type, BinaryPrimitives.ReadUInt64LittleEndian(span[position..]), default));
                    position += 8;
                    break;
                case WireFormat.WireType.LengthDelimited:
                    ulong length = ReadVarint(span, ref position);
                    Need(span, position, length);
                    fields.Add(ProtoField.Read(number, type, 0, data.Slice(position, (int)length)));
                    position += (int)length;
                    break;
                default:
                    throw new InvalidDataException($"Wire type {(int)type} of field {number} is not supported.");
            }
        }

        return new ProtoMessage(fields);
    }

    public string String(int number)
    {
        foreach (ProtoField field in Fields)
        {
            if (field.Number == number)
            {
                return field.Message is null ? field.AsString() : string.Empty;
            }
        }

        return string.Empty;
    }

    public long Int64(int number)
    {
        foreach (ProtoField field in Fields)
        {
            if (field.Number == number)
            {
                return (long)field.Value;
            }
        }

        return 0;
    }

    /// <summary>Returns the values of a repeated int64 field, packed or not.</summary>
    public List<long> Int64s(int number)
    {
        var values = new List<long>();
        foreach (ProtoField field in Fields)
        {
            if (field.Number != number)
            {
                continue;
            }

            if (field.Type == WireFormat.WireType.Varint)
            {
                values.Add((long)field.Value);
                continue;
            }

            ReadOnlySpan<byte> packed = field.Bytes.Span;
            int position = 0;
            while (position < packed.Length)
            {
                values.Add((long)ReadVarint(packed, ref position));
            }
        }

        return values;
    }

    public List<string> Strings(int number)
    {
        var values = new List<string>();
        foreach (ProtoField field in Fields)
        {
            if (field.Number == number)
            {
                values.Add(field.AsString());
            }
        }

        return values;
    }

    public int CalculateSize()
    {
        int size = 0;
        foreach (ProtoField field in Fields)
        {
            size += field.CalculateSize();
        }

        return size;
    }

    public void WriteTo(CodedOutputStream output)
    {
        foreach (ProtoField field in Fields)
        {
            field.WriteTo(output);
        }
    }

    /// <summary>Writes the message as a whole file (no length prefix).</summary>
    public void WriteTo(Stream stream)
    {
        using var output = new CodedOutputStream(stream, leaveOpen: true);
        WriteTo(output);
        output.Flush();
    }

    internal static ulong ReadVarint(ReadOnlySpan<byte> span, ref int position)
    {
        ulong result = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            Need(span, position, 1);
            byte b = span[position++];
            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return result;
            }
        }

        throw new InvalidDataException($"A varint ending at byte {position} is longer than 10 bytes.");
    }

    private static void Need(ReadOnlySpan<byte> span, int position, ulong count)
    {
        if ((ulong)(span.Length - position) < count)
        {
            throw new InvalidDataException($"The message is truncated at byte {position}: {count} more bytes expected.");
        }
    }
}
