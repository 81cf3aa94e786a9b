namespace Sllm.Onnx.Building;

/// <summary>The cos/sin caches of rotary embeddings: [context, head_size / 2], row p holding cos/sin(p · θ^(-2i/d)).</summary>
/// <remarks>
/// Computed in float32 in the order PyTorch and Hugging Face use (inverse frequencies, then position × frequency),
/// so long positions carry the same rounding as the reference; ORT's kernels read only the first half because the
/// second half of Hugging Face's concatenated table repeats it.
/// </remarks>
internal static class RotaryCache
{
    public static void Fill(Span<float> destination, int contextLength, int headSize, double theta, bool cosine)
    {
        int half = headSize / 2;
        Span<float> inverse = half <= 256 ? stackalloc float[half] : new float[half];
        for (int i = 0; i < half; i++)
        {
            inverse[i] = 1f / MathF.Pow((float)theta, 2f * i / headSize);
        }

        for (int position = 0; position < contextLength; position++)
        {
            Span<float> row = destination.Slice(position * half, half);
            for (int i = 0; i < half; i++)
            {
                float angle = position * inverse[i];
                row[i] = cosine ? MathF.Cos(angle) : MathF.Sin(angle);
            }
        }
    }
}
