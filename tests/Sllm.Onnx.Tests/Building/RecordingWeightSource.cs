namespace Sllm.Onnx.Building;

/// <summary>
/// Supplies every weight from its own seeded generator (or an override) and keeps a copy under its Hugging Face name,
/// so a reference implementation can run the same model.
/// </summary>
internal sealed class RecordingWeightSource(int seed, float scale) : IModelWeightSource
{
    private readonly Dictionary<string, Func<int[], float[]>> _overrides = new(StringComparer.Ordinal);

    public Dictionary<string, float[]> Weights { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, int[]> Shapes { get; } = new(StringComparer.Ordinal);

    public RecordingWeightSource Override(string name, Func<int[], float[]> values)
    {
        _overrides[name] = values;
        return this;
    }

    public bool TryGetWeight(string name, ReadOnlySpan<int> shape, Span<float> destination)
    {
        int[] dims = shape.ToArray();
        float[] values;
        if (_overrides.TryGetValue(name, out Func<int[], float[]>? make))
        {
            values = make(dims);
        }
        else
        {
            var random = new Random(HashCode.Combine(seed, StableHash(name)));
            values = new float[destination.Length];
            bool norm = name.EndsWith("norm.weight", StringComparison.Ordinal);
            for (int i = 0; i < values.Length; i++)
            {
                // Norm gains near 1 (but not 1, so a transposed or misplaced gain shows); other weights around 0.
                float noise = (float)((random.NextDouble() * 2) - 1) * scale;
                values[i] = norm ? 1f + noise : noise;
            }
        }

        values.CopyTo(destination);
        Weights[name] = values;
        Shapes[name] = dims;
        return true;
    }

    private static int StableHash(string text)
    {
        int hash = 17;
        foreach (char c in text)
        {
            hash = (hash * 31) + c;
        }

        return hash;
    }
}
