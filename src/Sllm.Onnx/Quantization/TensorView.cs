using System.Runtime.InteropServices;
using Sllm.Onnx.Building;

namespace Sllm.Onnx.Quantization;

/// <summary>The parts of a parsed <c>TensorProto</c> the quantizer reads: name, type, dims and where the values are.</summary>
internal sealed class TensorView
{
    public const int DimsField = 1;
    public const int DataTypeField = 2;
    public const int FloatDataField = 4;
    public const int Int32DataField = 5;
    public const int NameField = 8;
    public const int RawDataField = 9;
    public const int ExternalDataField = 13;
    public const int DataLocationField = 14;
    public const int FloatType = 1;
    public const int Float16Type = 10;

    public TensorView(ProtoMessage message)
    {
        Message = message;
        Name = message.String(NameField);
        Dims = message.Int64s(DimsField);
        DataType = (int)message.Int64(DataTypeField);
        if (message.Int64(DataLocationField) != 1)
        {
            return;
        }

        foreach (ProtoField field in message.Fields)
        {
            if (field.Number != ExternalDataField)
            {
                continue;
            }

            ProtoMessage entry = field.AsMessage();
            string value = entry.String(2);
            switch (entry.String(1))
            {
                case "location": Location = value; break;
                case "offset": Offset = long.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
                case "length": Length = long.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
                default: break;
            }
        }
    }

    public ProtoMessage Message { get; }

    public string Name { get; }

    public List<long> Dims { get; }

    public int DataType { get; }

    /// <summary>Gets the external data file, relative to the model's folder, or null for values stored in the model.</summary>
    public string? Location { get; }

    public long Offset { get; }

    /// <summary>Gets the external byte count, or -1 when the entry is absent (the values' natural size).</summary>
    public long Length { get; } = -1;

    public long ElementCount
    {
        get
        {
            long count = 1;
            foreach (long dim in Dims)
            {
                count *= dim;
            }

            return count;
        }
    }

    /// <summary>Returns the stored values of a float32 or float16 tensor that lives in the model file.</summary>
    public float[] InlineFloats()
    {
        var values = new float[ElementCount];
        foreach (ProtoField field in Message.Fields)
        {
            if (field.Number == RawDataField)
            {
                return Decode(field.Bytes.Span, values);
            }
        }

        // Typed storage: float_data holds floats; int32_data holds float16 bit patterns, one per int32 (packed or not).
        int next = 0;
        foreach (ProtoField field in Message.Fields)
        {
            if (DataType == FloatType && field.Number == FloatDataField)
            {
                if (field.Type == Google.Protobuf.WireFormat.WireType.Fixed32)
                {
                    values[next++] = BitConverter.UInt32BitsToSingle((uint)field.Value);
                }
                else
                {
                    ReadOnlySpan<float> packed = MemoryMarshal.Cast<byte, float>(field.Bytes.Span);
                    packed.CopyTo(values.AsSpan(next));
                    next += packed.Length;
                }
            }
            else if (DataType == Float16Type && field.Number == Int32DataField)
            {
                foreach (long bits in Message.Int64s(Int32DataField))
                {
                    values[next++] = (float)BitConverter.UInt16BitsToHalf((ushort)bits);
                }

                break;
            }
        }

        return values;
    }

    /// <summary>Converts little-endian float32 or float16 bytes.</summary>
    public float[] Decode(ReadOnlySpan<byte> bytes, float[] values)
    {
        if (DataType == Float16Type)
        {
            System.Numerics.Tensors.TensorPrimitives.ConvertToSingle(MemoryMarshal.Cast<byte, Half>(bytes), values);
        }
        else
        {
            MemoryMarshal.Cast<byte, float>(bytes).CopyTo(values);
        }

        return values;
    }

    /// <summary>Returns the bytes per element of an ONNX data type, or 0 for types without a fixed size.</summary>
    public static int ElementBytes(int dataType) => dataType switch
    {
        2 or 3 or 9 => 1,
        4 or 5 or 10 or 16 => 2,
        1 or 6 or 12 => 4,
        7 or 11 or 13 or 14 => 8,
        15 => 16,
        _ => 0,
    };
}
