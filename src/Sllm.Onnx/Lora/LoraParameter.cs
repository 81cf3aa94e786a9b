using System.Runtime.InteropServices;

namespace Sllm.Onnx.Lora;

/// <summary>One named tensor of an adapter: the graph input it feeds, its shape, element type and little-endian bytes.</summary>
/// <remarks>Immutable; the bytes are not copied, so the caller must not change the memory it passes in.</remarks>
public sealed class LoraParameter
{
    /// <summary>Initializes a new instance of the <see cref="LoraParameter"/> class.</summary>
    /// <param name="name">The graph input it feeds, for example <c>model.layers.0.self_attn.q_proj.lora_A.weight</c>.</param>
    /// <param name="dimensions">The shape; each dimension zero or more.</param>
    /// <param name="dataType">The element type.</param>
    /// <param name="data">The row-major little-endian elements; exactly the shape's element count times the element size.</param>
    /// <exception cref="ArgumentException">The name is empty, a dimension is negative, the type is unknown or the byte count does not match the shape.</exception>
    public LoraParameter(string name, IReadOnlyList<long> dimensions, LoraDataType dataType, ReadOnlyMemory<byte> data)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(dimensions);
        if (!Enum.IsDefined(dataType))
        {
            throw new ArgumentOutOfRangeException(nameof(dataType), dataType, "Unsupported adapter element type.");
        }

        long count = 1;
        foreach (long dim in dimensions)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(dim, nameof(dimensions));
            count = checked(count * dim);
        }

        if (checked(count * ElementSize(dataType)) != data.Length)
        {
            throw new ArgumentException($"Parameter '{name}' has {data.Length} bytes, but its shape [{string.Join(", ", dimensions)}] of {dataType} needs {count * ElementSize(dataType)}.", nameof(data));
        }

        Name = name;
        Dimensions = [.. dimensions];
        DataType = dataType;
        Data = data;
        ElementCount = count;
    }

    /// <summary>Gets the graph input this tensor feeds.</summary>
    public string Name { get; }

    /// <summary>Gets the shape.</summary>
    public IReadOnlyList<long> Dimensions { get; }

    /// <summary>Gets the element type.</summary>
    public LoraDataType DataType { get; }

    /// <summary>Gets the row-major little-endian elements.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>Gets the number of elements.</summary>
    public long ElementCount { get; }

    /// <summary>Creates a parameter from float values, converted to <paramref name="dataType"/>.</summary>
    /// <param name="name">The graph input it feeds.</param>
    /// <param name="dimensions">The shape.</param>
    /// <param name="values">The row-major values; as many as the shape holds.</param>
    /// <param name="dataType">The element type to store (rounded to nearest for the 16-bit types).</param>
    /// <returns>The parameter, owning a fresh copy of the values.</returns>
    public static LoraParameter FromSingles(string name, IReadOnlyList<long> dimensions, ReadOnlySpan<float> values, LoraDataType dataType = LoraDataType.Float32)
    {
        byte[] bytes = new byte[values.Length * ElementSize(dataType)];
        switch (dataType)
        {
            case LoraDataType.Float32:
                MemoryMarshal.AsBytes(values).CopyTo(bytes);
                break;
            case LoraDataType.Float16:
                System.Numerics.Tensors.TensorPrimitives.ConvertToHalf(values, MemoryMarshal.Cast<byte, Half>(bytes.AsSpan()));
                break;
            default:
                Span<ushort> target = MemoryMarshal.Cast<byte, ushort>(bytes.AsSpan());
                for (int i = 0; i < values.Length; i++)
                {
                    target[i] = BFloat16.FromSingle(values[i]);
                }

                break;
        }

        return new LoraParameter(name, dimensions, dataType, bytes);
    }

    /// <summary>Returns the values as floats (widened from the 16-bit types).</summary>
    /// <returns>A new array of <see cref="ElementCount"/> values.</returns>
    public float[] ToSingles()
    {
        var result = new float[ElementCount];
        ReadOnlySpan<byte> bytes = Data.Span;
        switch (DataType)
        {
            case LoraDataType.Float32:
                MemoryMarshal.Cast<byte, float>(bytes).CopyTo(result);
                break;
            case LoraDataType.Float16:
                System.Numerics.Tensors.TensorPrimitives.ConvertToSingle(MemoryMarshal.Cast<byte, Half>(bytes), result);
                break;
            default:
                ReadOnlySpan<ushort> source = MemoryMarshal.Cast<byte, ushort>(bytes);
                for (int i = 0; i < result.Length; i++)
                {
                    result[i] = BFloat16.ToSingle(source[i]);
                }

                break;
        }

        return result;
    }

    internal static int ElementSize(LoraDataType dataType) => dataType == LoraDataType.Float32 ? 4 : 2;
}
