using Microsoft.ML.OnnxRuntime;

namespace Sllm.Onnx.Lora;

/// <summary>Maps one PEFT tensor to the graph input(s) it feeds: renamed, transposed to MatMul orientation, B scaled, and
/// fused Phi-3 modules split.</summary>
internal sealed class PeftTensorMapper(OnnxModel model, SafeTensorsFile weights, float scaling)
{
    private const string Prefix = "base_model.model.";

    public void Map(string key, List<LoraParameter> output)
    {
        string name = key.StartsWith(Prefix, StringComparison.Ordinal) ? key[Prefix.Length..] : key;

        // Files saved with an adapter name keep it (lora_A.default.weight); the graph does not.
        name = name.Replace(".lora_A.default.weight", ".lora_A.weight", StringComparison.Ordinal)
            .Replace(".lora_B.default.weight", ".lora_B.weight", StringComparison.Ordinal);
        bool isA = name.EndsWith(".lora_A.weight", StringComparison.Ordinal);
        bool isB = name.EndsWith(".lora_B.weight", StringComparison.Ordinal);
        if (!isA && !isB)
        {
            throw new LoraAdapterException(
                $"{weights.Path}: '{key}' is not a LoRA A/B weight (embedding LoRA, magnitude vectors and saved modules are not supported).", weights.Path, key);
        }

        long[] shape = weights.Shape(key);
        if (shape.Length != 2)
        {
            throw new LoraAdapterException($"{weights.Path}: '{key}' has {shape.Length} dimensions; LoRA weights are matrices.", weights.Path, key);
        }

        string module = name[..name.LastIndexOf(".lora_", StringComparison.Ordinal)];
        string suffix = isA ? ".lora_A.weight" : ".lora_B.weight";
        float[] values = weights.ReadSingles(key);
        (string Module, int Rows)[] targets = Split(module, key);
        int rowStart = 0;
        foreach ((string target, int rows) in targets)
        {
            string input = target + suffix;
            if (!model.Graph.AdapterInputs.TryGetValue(input, out NodeMetadata? meta))
            {
                throw new LoraAdapterException(
                    $"{weights.Path}: '{key}' maps to the graph input '{input}', which the model at {model.ModelFile} does not have. Build the base model with that projection in ModelBuilderOptions.LoraTargets.",
                    weights.Path,
                    key);
            }

            if (isA)
            {
                // PEFT A [r, in] → graph [in, r]; shared by every part of a fused module.
                output.Add(Create(input, meta, Transpose(values, (int)shape[0], (int)shape[1], 0, (int)shape[0], 1f), shape[1], shape[0], key));
            }
            else
            {
                // PEFT B [out, r] → graph [r, out], rows of this part only, with the scaling folded in.
                int count = rows > 0 ? rows : (int)shape[0];
                float[] part = Transpose(values, (int)shape[0], (int)shape[1], rowStart, count, scaling);
                output.Add(Create(input, meta, part, shape[1], count, key));
                rowStart += count;
            }
        }

        if (isB && targets.Length > 1 && rowStart != shape[0])
        {
            throw new LoraAdapterException($"{weights.Path}: '{key}' has {shape[0]} output rows, but the model's parts of this fused module add up to {rowStart}.", weights.Path, key);
        }
    }

    // Phi-3 checkpoints fuse q/k/v and gate/up; the builder's graph has one input pair per part.
    private (string Module, int Rows)[] Split(string module, string key)
    {
        string parent = module[..(module.LastIndexOf('.') + 1)];
        string leaf = module[(module.LastIndexOf('.') + 1)..];
        return leaf switch
        {
            "qkv_proj" => [Part(parent + "q_proj", key), Part(parent + "k_proj", key), Part(parent + "v_proj", key)],
            "gate_up_proj" => [Part(parent + "gate_proj", key), Part(parent + "up_proj", key)],
            _ => [(module, 0)],
        };
    }

    private (string, int) Part(string module, string key)
    {
        string b = module + ".lora_B.weight";
        return model.Graph.AdapterInputs.TryGetValue(b, out NodeMetadata? meta) && meta.Dimensions is [_, > 0 and var rows]
            ? (module, rows)
            : throw new LoraAdapterException($"{weights.Path}: '{key}' is a fused module, but the model has no input '{b}' of fixed width to split it into.", weights.Path, key);
    }

    private LoraParameter Create(string input, NodeMetadata meta, float[] values, long rows, long columns, string key)
    {
        int[] dims = meta.Dimensions;
        if (dims.Length != 2 || (dims[0] > 0 && dims[0] != rows) || (dims[1] > 0 && dims[1] != columns))
        {
            throw new LoraAdapterException(
                $"{weights.Path}: '{key}' becomes [{rows}, {columns}] for '{input}', but the model's input is [{string.Join(", ", dims)}] (-1 is the free LoRA rank). Was the adapter trained for another model?",
                weights.Path,
                key);
        }

        return LoraParameter.FromSingles(input, [rows, columns], values, LoraAdapterConverter.InputType(meta));
    }

    // Rows [first, first + count) of a [rows, columns] matrix, transposed to [columns, count] and scaled.
    private static float[] Transpose(float[] source, int rows, int columns, int first, int count, float scale)
    {
        _ = rows;
        var result = new float[columns * count];
        for (int r = 0; r < count; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                result[(c * count) + r] = source[((first + r) * columns) + c] * scale;
            }
        }

        return result;
    }
}
