using Microsoft.ML.OnnxRuntime.Tensors;

namespace Sllm.Onnx.Runtime;

/// <summary>Sizes and names of the tensor element types the engine feeds and reads.</summary>
internal static class TensorElementTypes
{
    public static int SizeOf(TensorElementType type) => type switch
    {
        TensorElementType.Float or TensorElementType.Int32 or TensorElementType.UInt32 => 4,
        TensorElementType.Float16 or TensorElementType.BFloat16 or TensorElementType.Int16 or TensorElementType.UInt16 => 2,
        TensorElementType.Int64 or TensorElementType.Double or TensorElementType.UInt64 => 8,
        TensorElementType.Int8 or TensorElementType.UInt8 or TensorElementType.Bool => 1,
        _ => throw new NotSupportedException($"Tensors of element type {type} are not supported."),
    };

    public static long ElementCount(ReadOnlySpan<long> shape)
    {
        long count = 1;
        foreach (long dimension in shape)
        {
            count *= dimension;
        }

        return count;
    }

    public static string Name(TensorElementType type) => type switch
    {
        TensorElementType.Float => "float32",
        TensorElementType.Float16 => "float16",
        TensorElementType.BFloat16 => "bfloat16",
        TensorElementType.Int32 => "int32",
        TensorElementType.Int64 => "int64",
        _ => type.ToString().ToLowerInvariant(),
    };
}
