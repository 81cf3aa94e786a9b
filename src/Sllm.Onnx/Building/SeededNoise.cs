namespace Sllm.Onnx.Building;

/// <summary>
/// The builder's default weights for one tensor: uniform noise from SplitMix64, seeded by the model seed and the
/// tensor's name, and addressable by element index.
/// </summary>
/// <remarks>
/// SplitMix64 is a counter-based generator (value i is a mix of <c>seed + (i + 1) · γ</c>), so an element can be
/// computed at any index: the transposed ONNX layout is produced directly in file order without first holding the
/// tensor in Hugging Face layout. Seeding per name keeps each tensor independent of the others, so supplying some
/// tensors, or adding layers, leaves the rest unchanged. A few multiplies per value: a 494 M-parameter model's noise
/// takes about a second.
/// </remarks>
internal readonly struct SeededNoise
{
    private const ulong Gamma = 0x9E3779B97F4A7C15;

    private readonly ulong _base;
    private readonly float _low;
    private readonly float _step;

    /// <summary>Initializes noise of mean 0 and standard deviation <paramref name="scale"/> (uniform on ±scale·√3).</summary>
    public SeededNoise(long seed, string name, float scale)
    {
        _base = Mix(unchecked((ulong)seed) ^ Fnv1a(name));
        float a = scale * MathF.Sqrt(3f);
        _low = -a;
        _step = 2f * a / (1 << 24);
    }

    /// <summary>Returns element <paramref name="index"/> of the tensor (row-major, Hugging Face layout).</summary>
    public float At(long index) => ((int)(Mix(_base + (unchecked((ulong)index + 1) * Gamma)) >> 40) * _step) + _low;

    /// <summary>Fills <paramref name="destination"/> with elements <paramref name="start"/> onwards.</summary>
    public void Fill(Span<float> destination, long start)
    {
        ulong state = _base + (unchecked((ulong)start) * Gamma);
        for (int i = 0; i < destination.Length; i++)
        {
            state += Gamma;
            destination[i] = ((int)(Mix(state) >> 40) * _step) + _low;
        }
    }

    private static ulong Mix(ulong z)
    {
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
