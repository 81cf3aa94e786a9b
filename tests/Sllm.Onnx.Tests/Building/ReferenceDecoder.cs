namespace Sllm.Onnx.Building;

/// <summary>
/// A plain, slow forward pass of a Llama-style decoder in double precision, read straight from Hugging Face weights:
/// RMSNorm, rotary embeddings (non-interleaved, rotate-half), causal grouped-query attention with an optional window,
/// SwiGLU MLP, tied or separate LM head. It is what the built graph must compute.
/// </summary>
internal sealed class ReferenceDecoder(ModelBuilderOptions options, int vocab, IReadOnlyDictionary<string, float[]> weights)
{
    private readonly int _hidden = options.HiddenSize;
    private readonly int _heads = options.NumAttentionHeads;
    private readonly int _kvHeads = options.NumKeyValueHeads;
    private readonly int _headSize = options.EffectiveHeadSize;
    private readonly int _intermediate = options.IntermediateSize;

    /// <summary>Returns logits [ids.Length, vocab] for one sequence starting at position 0.</summary>
    public double[][] Forward(IReadOnlyList<int> ids)
    {
        int seq = ids.Count;
        float[] embed = weights["model.embed_tokens.weight"];
        var h = new double[seq][];
        for (int t = 0; t < seq; t++)
        {
            h[t] = new double[_hidden];
            for (int i = 0; i < _hidden; i++)
            {
                h[t][i] = embed[(ids[t] * _hidden) + i];
            }
        }

        for (int layer = 0; layer < options.NumLayers; layer++)
        {
            string p = $"model.layers.{layer}";
            double[][] x = Norm(h, weights[$"{p}.input_layernorm.weight"]);
            double[][] attention = Attention(x, $"{p}.self_attn");
            Add(h, Linear(attention, weights[$"{p}.self_attn.o_proj.weight"], null, _hidden));
            x = Norm(h, weights[$"{p}.post_attention_layernorm.weight"]);
            double[][] gate = Linear(x, weights[$"{p}.mlp.gate_proj.weight"], null, _intermediate);
            double[][] up = Linear(x, weights[$"{p}.mlp.up_proj.weight"], null, _intermediate);
            for (int t = 0; t < seq; t++)
            {
                for (int i = 0; i < _intermediate; i++)
                {
                    double g = gate[t][i];
                    gate[t][i] = g / (1 + Math.Exp(-g)) * up[t][i];
                }
            }

            Add(h, Linear(gate, weights[$"{p}.mlp.down_proj.weight"], null, _hidden));
        }

        double[][] final = Norm(h, weights["model.norm.weight"]);
        float[] head = options.TieWordEmbeddings ? embed : weights["lm_head.weight"];
        return Linear(final, head, null, vocab);
    }

    private double[][] Attention(double[][] x, string prefix)
    {
        int seq = x.Length;
        float[]? Bias(string name) => weights.TryGetValue($"{prefix}.{name}.bias", out float[]? b) ? b : null;
        double[][] q = Linear(x, weights[$"{prefix}.q_proj.weight"], Bias("q_proj"), _heads * _headSize);
        double[][] k = Linear(x, weights[$"{prefix}.k_proj.weight"], Bias("k_proj"), _kvHeads * _headSize);
        double[][] v = Linear(x, weights[$"{prefix}.v_proj.weight"], Bias("v_proj"), _kvHeads * _headSize);
        for (int t = 0; t < seq; t++)
        {
            Rotate(q[t], _heads, t);
            Rotate(k[t], _kvHeads, t);
        }

        int group = _heads / _kvHeads;
        double scale = 1 / Math.Sqrt(_headSize);
        var output = new double[seq][];
        for (int t = 0; t < seq; t++)
        {
            output[t] = new double[_heads * _headSize];
            int first = options.SlidingWindow is { } window ? Math.Max(0, t - window + 1) : 0;
            for (int head = 0; head < _heads; head++)
            {
                int kv = head / group;
                var scores = new double[t + 1 - first];
                double max = double.NegativeInfinity;
                for (int j = first; j <= t; j++)
                {
                    double dot = 0;
                    for (int d = 0; d < _headSize; d++)
                    {
                        dot += q[t][(head * _headSize) + d] * k[j][(kv * _headSize) + d];
                    }

                    scores[j - first] = dot * scale;
                    max = Math.Max(max, scores[j - first]);
                }

                double sum = 0;
                for (int j = 0; j < scores.Length; j++)
                {
                    scores[j] = Math.Exp(scores[j] - max);
                    sum += scores[j];
                }

                for (int j = first; j <= t; j++)
                {
                    double weight = scores[j - first] / sum;
                    for (int d = 0; d < _headSize; d++)
                    {
                        output[t][(head * _headSize) + d] += weight * v[j][(kv * _headSize) + d];
                    }
                }
            }
        }

        return output;
    }

    // Rotate-half: dimension i pairs with i + d/2, angle = position · θ^(-2i/d).
    private void Rotate(double[] vector, int heads, int position)
    {
        int half = _headSize / 2;
        for (int head = 0; head < heads; head++)
        {
            int start = head * _headSize;
            for (int i = 0; i < half; i++)
            {
                double angle = position * Math.Pow(options.RopeTheta, -2.0 * i / _headSize);
                double a = vector[start + i];
                double b = vector[start + i + half];
                vector[start + i] = (a * Math.Cos(angle)) - (b * Math.Sin(angle));
                vector[start + i + half] = (b * Math.Cos(angle)) + (a * Math.Sin(angle));
            }
        }
    }

    private double[][] Norm(double[][] x, float[] gain)
    {
        var result = new double[x.Length][];
        for (int t = 0; t < x.Length; t++)
        {
            double mean = 0;
            foreach (double value in x[t])
            {
                mean += value * value;
            }

            double inverse = 1 / Math.Sqrt((mean / x[t].Length) + options.RmsNormEpsilon);
            result[t] = new double[x[t].Length];
            for (int i = 0; i < x[t].Length; i++)
            {
                result[t][i] = x[t][i] * inverse * gain[i];
            }
        }

        return result;
    }

    // y = x · Wᵀ + b with W in Hugging Face [out, in] layout.
    private static double[][] Linear(double[][] x, float[] weight, float[]? bias, int outputs)
    {
        int inputs = x[0].Length;
        var result = new double[x.Length][];
        for (int t = 0; t < x.Length; t++)
        {
            result[t] = new double[outputs];
            for (int o = 0; o < outputs; o++)
            {
                double sum = bias?[o] ?? 0;
                for (int i = 0; i < inputs; i++)
                {
                    sum += x[t][i] * weight[(o * inputs) + i];
                }

                result[t][o] = sum;
            }
        }

        return result;
    }

    private static void Add(double[][] target, double[][] values)
    {
        for (int t = 0; t < target.Length; t++)
        {
            for (int i = 0; i < target[t].Length; i++)
            {
                target[t][i] += values[t][i];
            }
        }
    }
}
