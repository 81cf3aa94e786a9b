namespace Sllm.Onnx.Runtime;

/// <summary>The graph names of one attention layer's cache: separate key and value tensors, or one combined tensor.</summary>
/// <param name="PastKey">The key (or combined <c>past_%d</c>) input.</param>
/// <param name="PastValue">The value input; <see langword="null"/> for the combined layout.</param>
/// <param name="PresentKey">The key (or combined <c>present_%d</c>) output.</param>
/// <param name="PresentValue">The value output; <see langword="null"/> for the combined layout.</param>
internal sealed record KvLayer(string PastKey, string? PastValue, string PresentKey, string? PresentValue);
