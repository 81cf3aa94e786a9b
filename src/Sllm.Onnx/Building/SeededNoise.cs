namespace Sllm.Onnx.Building;

/// <summary>The builder's default weights: uniform noise from SplitMix64, seeded by the model seed and the tensor's name.</summary>
/// <remarks>
/// Seeding per name keeps every tensor's values independent of the others, so a caller who supplies some tensors (or
/// a model with more layers) leaves the rest of the noise unchanged. SplitMix64 passes BigCrush and costs a few
/// multiplies per value, which keeps a 494 M-parameter model at about a second of noise.
/// </remarks>
internal static class SeededNoise
{
    private const ulong Golden = 0x9E3779B97F4A7C15;

    /// <summary>Fills <paramref name="destination"/> with uniform values of mean 0 and standard deviation <paramref name="scale"/>.</summary>
    public static void Fill(Span<float> destination, long seed, string name, float scale)
    {
        ulong state = unchecked((ulong)seed) ^ Fnv1a(name);
        Next(ref state);

        // Uniform on [-a, a] has standard deviation a / sqrt(3).
        float twoA = 2f * scale * MathF.Sqrt(3f);
        float a = scale * MathF.Sqrt(3f);
        const float Unit = 1f / (1 << 24);
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = ((Next(ref state) >> 40) * Unit * twoA) - a;
        }
    }

    private static ulong Next(ref ulong state)
    {
        ulong z = state += Golden;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }

    private static ulong Fnv1a(string text)
    {
        ulong hash = 0xCBF29CE484222325;
        foreach (char c in text)
        {
            hash = (hash ^ c) * 0x100000001B3;
        }

        return hash;
    }
}
