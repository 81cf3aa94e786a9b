namespace Sllm.Onnx.Building;

/// <summary>One dimension of a graph input or output: a fixed size or a symbolic name such as <c>batch_size</c>.</summary>
internal readonly record struct OnnxDimension(long Value, string? Param)
{
    public static implicit operator OnnxDimension(long value) => new(value, null);

    public static implicit operator OnnxDimension(string param) => new(0, param);
}
