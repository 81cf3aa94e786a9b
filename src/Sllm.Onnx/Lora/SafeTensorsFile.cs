using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Sllm.Onnx.Lora;

/// <summary>Reads a <c>.safetensors</c> file: an 8-byte little-endian header length, a JSON header mapping each tensor to its
/// <c>dtype</c>, <c>shape</c> and <c>data_offsets</c> (relative to the end of the header), then the raw little-endian data.</summary>
/// <remarks>Holds the whole file in memory; adapters are small. Supports F32, F16 and BF16 tensors, widened to float.</remarks>
internal sealed class SafeTensorsFile
{
    private readonly byte[] bytes;
    private readonly Dictionary<string, (string DType, long[] Shape, long Begin, long End)> entries;
    private readonly long dataStart;

    private SafeTensorsFile(string path, byte[] bytes)
    {
        Path = path;
        this.bytes = bytes;
        if (bytes.Length < 8)
        {
            throw Fail("is too short to be a safetensors file.");
        }

        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (headerLength > (ulong)(bytes.Length - 8))
        {
            throw Fail($"declares a {headerLength}-byte header, longer than the file.");
        }

        dataStart = 8 + (long)headerLength;
        entries = new(StringComparer.Ordinal);
        try
        {
            using JsonDocument header = JsonDocument.Parse(bytes.AsMemory(8, (int)headerLength));
            foreach (JsonProperty tensor in header.RootElement.EnumerateObject())
            {
                if (tensor.Name == "__metadata__")
                {
                    continue;
                }

                string dtype = tensor.Value.GetProperty("dtype").GetString() ?? string.Empty;
                long[] shape = [.. tensor.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64())];
                JsonElement offsets = tensor.Value.GetProperty("data_offsets");
                entries[tensor.Name] = (dtype, shape, offsets[0].GetInt64(), offsets[1].GetInt64());
            }
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or IndexOutOfRangeException)
        {
            throw new LoraAdapterException($"{path}: the safetensors header is malformed: {ex.Message}", path, tensor: null, ex);
        }
    }

    public string Path { get; }

    public IEnumerable<string> Names => entries.Keys;

    public static async Task<SafeTensorsFile> ReadAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return new SafeTensorsFile(path, await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new LoraAdapterException($"{path} could not be read: {ex.Message}", path, tensor: null, ex);
        }
    }

    public long[] Shape(string name) => entries[name].Shape;

    /// <summary>Returns a tensor's values as floats in row-major order.</summary>
    public float[] ReadSingles(string name)
    {
        (string dtype, long[] shape, long begin, long end) = entries[name];
        long count = 1;
        foreach (long dim in shape)
        {
            count *= dim;
        }

        int size = dtype switch
        {
            "F32" => 4,
            "F16" or "BF16" => 2,
            _ => throw new LoraAdapterException($"{Path}: tensor '{name}' is {dtype}; PEFT conversion supports F32, F16 and BF16.", Path, name),
        };
        if (begin < 0 || end - begin != count * size || dataStart + end > bytes.Length)
        {
            throw new LoraAdapterException($"{Path}: tensor '{name}' has data offsets [{begin}, {end}] that do not fit its shape [{string.Join(", ", shape)}] of {dtype} or the file.", Path, name);
        }

        ReadOnlySpan<byte> raw = bytes.AsSpan((int)(dataStart + begin), (int)(end - begin));
        var values = new float[count];
        if (dtype == "F32")
        {
            MemoryMarshal.Cast<byte, float>(raw).CopyTo(values);
        }
        else if (dtype == "F16")
        {
            System.Numerics.Tensors.TensorPrimitives.ConvertToSingle(MemoryMarshal.Cast<byte, Half>(raw), values);
        }
        else
        {
            ReadOnlySpan<ushort> halves = MemoryMarshal.Cast<byte, ushort>(raw);
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = BFloat16.ToSingle(halves[i]);
            }
        }

        return values;
    }

    private LoraAdapterException Fail(string message) => new($"{Path} {message}", Path, tensor: null);
}
