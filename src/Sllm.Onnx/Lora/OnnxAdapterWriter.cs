using System.Buffers.Binary;
using System.Text;

namespace Sllm.Onnx.Lora;

/// <summary>Encodes ONNX Runtime's adapter FlatBuffer (<c>adapter_schema.fbs</c>: root <c>Adapter</c>, identifier <c>TORT</c>).</summary>
/// <remarks>
/// Written front to back, which FlatBuffers allows: every offset to a string, vector or table points forward (unsigned
/// <c>uoffset</c>), and each table's signed offset points back to its vtable just before it. Scalars sit at their natural
/// alignment and the <c>dims</c> and <c>raw_data</c> element runs start on 8 bytes (<c>force_align: 8</c>), so ONNX Runtime's
/// verifier accepts the file and can map the tensors in place.
/// </remarks>
internal sealed class OnnxAdapterWriter
{
    private const int ParameterFieldCount = 4;
    private const int AdapterFieldCount = 4;
    private byte[] buffer;
    private int length;

    private OnnxAdapterWriter(int capacity) => buffer = new byte[capacity];

    public static byte[] Encode(OnnxAdapterFile file)
    {
        long estimate = 256;
        foreach (LoraParameter parameter in file.Parameters)
        {
            estimate += parameter.Data.Length + (parameter.Dimensions.Count * 8) + Encoding.UTF8.GetByteCount(parameter.Name) + 64;
        }

        if (estimate > int.MaxValue)
        {
            throw new LoraAdapterException($"The adapter is {estimate:N0} bytes; an .onnx_adapter FlatBuffer holds at most 2 GB.");
        }

        var writer = new OnnxAdapterWriter((int)estimate);
        return writer.Write(file);
    }

    private byte[] Write(OnnxAdapterFile file)
    {
        Reserve(4);                          // root table offset, patched below
        Append(OnnxAdapterFile.Identifier);
        int vtable = WriteVTable(AdapterFieldCount, tableSize: 20, [4, 8, 12, 16]);
        int table = Begin(vtable);
        PutInt32(file.FormatVersion);
        PutInt32(file.AdapterVersion);
        PutInt32(file.ModelVersion);
        int parametersField = Reserve(4);
        PatchUOffset(0, table);

        Align(4, 0);
        PatchUOffset(parametersField, length);
        IReadOnlyList<LoraParameter> parameters = file.Parameters;
        PutInt32(parameters.Count);
        int slots = Reserve(4 * parameters.Count);
        for (int i = 0; i < parameters.Count; i++)
        {
            WriteParameter(parameters[i], slots + (4 * i));
        }

        return buffer.AsSpan(0, length).ToArray();
    }

    private void WriteParameter(LoraParameter parameter, int slot)
    {
        int vtable = WriteVTable(ParameterFieldCount, tableSize: 20, [4, 8, 12, 16]);
        int table = Begin(vtable);
        PatchUOffset(slot, table);
        int nameField = Reserve(4);
        int dimsField = Reserve(4);
        PutInt32((int)parameter.DataType);
        int rawField = Reserve(4);

        Align(4, 0);
        PatchUOffset(nameField, length);
        byte[] name = Encoding.UTF8.GetBytes(parameter.Name);
        PutInt32(name.Length);
        Append(name);
        Append([0]);

        // Length prefix at 4 mod 8 so the elements after it start on 8 bytes.
        Align(8, 4);
        PatchUOffset(dimsField, length);
        PutInt32(parameter.Dimensions.Count);
        foreach (long dim in parameter.Dimensions)
        {
            EnsureCapacity(8);
            BinaryPrimitives.WriteInt64LittleEndian(buffer.AsSpan(length), dim);
            length += 8;
        }

        Align(8, 4);
        PatchUOffset(rawField, length);
        PutInt32(parameter.Data.Length);
        Append(parameter.Data.Span);
    }

    // A vtable: its own size, the table's inline size, then each field's offset from the table start.
    private int WriteVTable(int fields, int tableSize, ReadOnlySpan<ushort> offsets)
    {
        Align(4, 0);
        int start = length;
        PutUInt16((ushort)(4 + (2 * fields)));
        PutUInt16((ushort)tableSize);
        foreach (ushort offset in offsets)
        {
            PutUInt16(offset);
        }

        return start;
    }

    // A table starts with the signed distance back to its vtable.
    private int Begin(int vtable)
    {
        Align(4, 0);
        int table = length;
        PutInt32(table - vtable);
        return table;
    }

    private void PatchUOffset(int field, int target) =>
        BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(field), (uint)(target - field));

    private void Align(int alignment, int remainder)
    {
        int pad = ((remainder - length) % alignment + alignment) % alignment;
        EnsureCapacity(pad);
        length += pad;
    }

    private int Reserve(int bytes)
    {
        EnsureCapacity(bytes);
        int start = length;
        length += bytes;
        return start;
    }

    private void PutInt32(int value)
    {
        EnsureCapacity(4);
        BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(length), value);
        length += 4;
    }

    private void PutUInt16(ushort value)
    {
        EnsureCapacity(2);
        BinaryPrimitives.WriteUInt16LittleEndian(buffer.AsSpan(length), value);
        length += 2;
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        EnsureCapacity(bytes.Length);
        bytes.CopyTo(buffer.AsSpan(length));
        length += bytes.Length;
    }

    private void EnsureCapacity(int more)
    {
        if (length + more > buffer.Length)
        {
            Array.Resize(ref buffer, (int)Math.Min(Array.MaxLength, Math.Max((long)buffer.Length * 2, (long)length + more)));
        }
    }
}
