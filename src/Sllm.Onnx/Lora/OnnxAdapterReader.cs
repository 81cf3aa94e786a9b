using System.Buffers.Binary;
using System.Text;

namespace Sllm.Onnx.Lora;

/// <summary>Decodes ONNX Runtime's adapter FlatBuffer, checking every offset against the buffer as FlatBuffers' verifier does.</summary>
/// <remarks>The parameters' bytes are slices of the buffer, not copies.</remarks>
internal sealed class OnnxAdapterReader
{
    private readonly byte[] data;
    private readonly string? path;

    private OnnxAdapterReader(byte[] data, string? path)
    {
        this.data = data;
        this.path = path;
    }

    public static OnnxAdapterFile Decode(byte[] data, string? path) => new OnnxAdapterReader(data, path).Read();

    private OnnxAdapterFile Read()
    {
        if (data.Length < 8 || !data.AsSpan(4, 4).SequenceEqual(OnnxAdapterFile.Identifier))
        {
            throw Fail("is not an ONNX Runtime adapter: the FlatBuffer identifier 'TORT' is missing.");
        }

        int root = Follow(0);
        int format = Int32Field(root, 0, 0);
        if (format != OnnxAdapterFile.SupportedFormatVersion)
        {
            throw Fail($"has adapter format version {format}; only version {OnnxAdapterFile.SupportedFormatVersion} is supported.");
        }

        int adapterVersion = Int32Field(root, 1, 0);
        int modelVersion = Int32Field(root, 2, 0);
        var parameters = new List<LoraParameter>();
        int vector = FieldPosition(root, 3);
        if (vector >= 0)
        {
            int start = Follow(vector);
            int count = Int32At(start);
            Check(start + 4, (long)count * 4);
            for (int i = 0; i < count; i++)
            {
                parameters.Add(ReadParameter(Follow(start + 4 + (4 * i))));
            }
        }

        return new OnnxAdapterFile(parameters) { AdapterVersion = adapterVersion, ModelVersion = modelVersion, FormatVersion = format };
    }

    private LoraParameter ReadParameter(int table)
    {
        int nameField = FieldPosition(table, 0);
        if (nameField < 0)
        {
            throw Fail("has a parameter without a name.");
        }

        int name = Follow(nameField);
        int nameLength = Int32At(name);
        Check(name + 4, nameLength);
        string text = Encoding.UTF8.GetString(data, name + 4, nameLength);

        var dims = new List<long>();
        int dimsField = FieldPosition(table, 1);
        if (dimsField >= 0)
        {
            int vector = Follow(dimsField);
            int count = Int32At(vector);
            Check(vector + 4, (long)count * 8);
            for (int i = 0; i < count; i++)
            {
                dims.Add(BinaryPrimitives.ReadInt64LittleEndian(data.AsSpan(vector + 4 + (8 * i))));
            }
        }

        int type = Int32Field(table, 2, 0);
        if (!Enum.IsDefined((LoraDataType)type))
        {
            throw new LoraAdapterException($"{path ?? "The adapter"}: parameter '{text}' has element type {type}; Sllm supports FLOAT (1), FLOAT16 (10) and BFLOAT16 (16).", path, text);
        }

        ReadOnlyMemory<byte> raw = ReadOnlyMemory<byte>.Empty;
        int rawField = FieldPosition(table, 3);
        if (rawField >= 0)
        {
            int vector = Follow(rawField);
            int count = Int32At(vector);
            Check(vector + 4, count);
            raw = data.AsMemory(vector + 4, count);
        }

        try
        {
            return new LoraParameter(text, dims, (LoraDataType)type, raw);
        }
        catch (ArgumentException ex)
        {
            throw new LoraAdapterException($"{path ?? "The adapter"}: {ex.Message}", path, text, ex);
        }
    }

    // Position of a table field, or -1 when the vtable leaves it out.
    private int FieldPosition(int table, int field)
    {
        int vtable = checked(table - Int32At(table));
        Check(vtable, 4);
        int vtableSize = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(vtable));
        int entry = 4 + (2 * field);
        if (entry + 2 > vtableSize)
        {
            return -1;
        }

        Check(vtable, vtableSize);
        int offset = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(vtable + entry));
        return offset == 0 ? -1 : table + offset;
    }

    private int Int32Field(int table, int field, int fallback)
    {
        int position = FieldPosition(table, field);
        return position < 0 ? fallback : Int32At(position);
    }

    private int Follow(int position)
    {
        long target = position + (long)BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(Checked(position, 4)));
        Check(target, 4);
        return (int)target;
    }

    private int Int32At(int position) => BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(Checked(position, 4)));

    private int Checked(int position, long bytes)
    {
        Check(position, bytes);
        return position;
    }

    private void Check(long position, long bytes)
    {
        if (position < 0 || bytes < 0 || position + bytes > data.Length)
        {
            throw Fail($"is truncated or corrupt: an offset points outside the file (byte {position} of {data.Length}).");
        }
    }

    private LoraAdapterException Fail(string message) => new($"{path ?? "The adapter"} {message}", path, tensor: null);
}
