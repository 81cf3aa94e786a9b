using System.Text;
using System.Text.Json;
using Sllm.Onnx.Building;

namespace Sllm.Onnx.Lora;

/// <summary>A PEFT-shaped LoRA checkpoint made by the test, and the builder weight sources for the base and merged models.</summary>
internal sealed class PeftCheckpoint
{
    private readonly Dictionary<string, (float[] A, float[] B, int In, int Out)> modules = new(StringComparer.Ordinal);

    public PeftCheckpoint(int rank, double alpha, bool rsLora, int seed, params (string Module, int In, int Out)[] targets)
    {
        Rank = rank;
        Alpha = alpha;
        RsLora = rsLora;
        var random = new Random(seed);
        foreach ((string module, int inSize, int outSize) in targets)
        {
            modules[module] = (Noise(random, rank * inSize, 0.5f), Noise(random, outSize * rank, 0.2f), inSize, outSize);
        }
    }

    public int Rank { get; }

    public double Alpha { get; }

    public bool RsLora { get; }

    public double Scaling => RsLora ? Alpha / Math.Sqrt(Rank) : Alpha / Rank;

    /// <summary>Writes <c>adapter_config.json</c> and <c>adapter_model.safetensors</c> as PEFT saves them.</summary>
    public void Write(string directory, string dtype = "F32")
    {
        Directory.CreateDirectory(directory);
        var targetNames = modules.Keys.Select(m => m[(m.LastIndexOf('.') + 1)..]).Distinct().ToArray();
        File.WriteAllText(Path.Combine(directory, "adapter_config.json"), JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["peft_type"] = "LORA",
            ["r"] = Rank,
            ["lora_alpha"] = Alpha,
            ["target_modules"] = targetNames,
            ["use_rslora"] = RsLora,
            ["bias"] = "none",
            ["lora_dropout"] = 0.05,
            ["use_dora"] = false,
        }));

        var header = new Dictionary<string, object> { ["__metadata__"] = new Dictionary<string, string> { ["format"] = "pt" } };
        using var data = new MemoryStream();
        foreach ((string module, (float[] a, float[] b, int inSize, int outSize)) in modules)
        {
            Add($"base_model.model.{module}.lora_A.weight", a, [Rank, inSize]);
            Add($"base_model.model.{module}.lora_B.weight", b, [outSize, Rank]);
        }

        byte[] json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(header));
        int padded = (json.Length + 7) / 8 * 8;
        using FileStream file = File.Create(Path.Combine(directory, "adapter_model.safetensors"));
        file.Write(BitConverter.GetBytes((ulong)padded));
        file.Write(json);
        file.Write(Enumerable.Repeat((byte)' ', padded - json.Length).ToArray());
        data.Position = 0;
        data.CopyTo(file);

        void Add(string name, float[] values, int[] shape)
        {
            long begin = data.Length;
            foreach (float value in values)
            {
                if (dtype == "F16")
                {
                    data.Write(BitConverter.GetBytes((Half)value));
                }
                else
                {
                    data.Write(BitConverter.GetBytes(value));
                }
            }

            header[name] = new Dictionary<string, object> { ["dtype"] = dtype, ["shape"] = shape, ["data_offsets"] = new[] { begin, data.Length } };
        }
    }

    /// <summary>Rounds every value through half precision, so an F16 file and the merged float model hold the same numbers.</summary>
    public void RoundToHalf()
    {
        foreach ((float[] a, float[] b, _, _) in modules.Values)
        {
            for (int i = 0; i < a.Length; i++)
            {
                a[i] = (float)(Half)a[i];
            }

            for (int i = 0; i < b.Length; i++)
            {
                b[i] = (float)(Half)b[i];
            }
        }
    }

    /// <summary>Weights for the adapted projections: W alone (base) or W + scaling·B·A (merged), in Hugging Face [out, in] layout.</summary>
    public IModelWeightSource Weights(bool merged) => new Source(this, merged);

    private static float[] Noise(Random random, int count, float scale)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = ((float)random.NextDouble() - 0.5f) * scale;
        }

        return values;
    }

    private sealed class Source(PeftCheckpoint checkpoint, bool merged) : IModelWeightSource
    {
        public bool TryGetWeight(string name, ReadOnlySpan<int> shape, Span<float> destination)
        {
            const string Suffix = ".weight";
            if (!name.EndsWith(Suffix, StringComparison.Ordinal) || !checkpoint.modules.TryGetValue(name[..^Suffix.Length], out var module))
            {
                return false;
            }

            var random = new Random(name.Length * 7919 + name[^8]);
            for (int i = 0; i < destination.Length; i++)
            {
                destination[i] = ((float)random.NextDouble() - 0.5f) * 0.2f;
            }

            if (merged)
            {
                int r = checkpoint.Rank;
                float scale = (float)checkpoint.Scaling;
                for (int o = 0; o < module.Out; o++)
                {
                    for (int i = 0; i < module.In; i++)
                    {
                        float sum = 0;
                        for (int k = 0; k < r; k++)
                        {
                            sum += module.B[(o * r) + k] * module.A[(k * module.In) + i];
                        }

                        destination[(o * module.In) + i] += scale * sum;
                    }
                }
            }

            return true;
        }
    }
}
