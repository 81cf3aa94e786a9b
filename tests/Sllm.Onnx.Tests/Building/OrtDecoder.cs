using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Sllm.Onnx.Building;

/// <summary>
/// Runs a built model with plain ONNX Runtime the way ORT GenAI does: greedy decoding with either a growing KV cache
/// (present becomes the next past) or one shared max_length buffer passed as both past input and present output.
/// </summary>
internal sealed class OrtDecoder : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _run = new();

    public OrtDecoder(string modelDirectory, SessionOptions? options = null)
    {
        using var defaults = new SessionOptions();
        _session = new InferenceSession(Path.Combine(modelDirectory, "model.onnx"), options ?? defaults);
        var past = _session.InputMetadata["past_key_values.0.key"];
        KvHeads = past.Dimensions[1];
        HeadSize = past.Dimensions[3];
        Layers = _session.InputMetadata.Count(kv => kv.Key.StartsWith("past_key_values.", StringComparison.Ordinal)) / 2;
        Vocab = _session.OutputMetadata["logits"].Dimensions[2];
        HasPositionIds = _session.InputMetadata.ContainsKey("position_ids");
        Half = past.ElementDataType == TensorElementType.Float16;
    }

    public int KvHeads { get; }

    public int HeadSize { get; }

    public int Layers { get; }

    public int Vocab { get; }

    public bool HasPositionIds { get; }

    public bool Half { get; }

    private TensorElementType IoType => Half ? TensorElementType.Float16 : TensorElementType.Float;

    /// <summary>Greedy decoding of one prompt; returns the generated ids and the last-position logits of every step.</summary>
    public (List<int> Tokens, List<float[]> Logits) Greedy(long[] prompt, int newTokens, bool sharedBuffer, int maxLength = 32)
    {
        var tokens = new List<int>();
        var logits = new List<float[]>();
        using var cache = new KvCache(this, batch: 1, sharedBuffer ? maxLength : 0);
        long[] step = prompt;
        int past = 0;
        for (int i = 0; i < newTokens; i++)
        {
            float[] all = Run(cache, step, batch: 1, past, sharedBuffer);
            float[] last = all.AsSpan((step.Length - 1) * Vocab, Vocab).ToArray();
            int next = ArgMax(last);
            tokens.Add(next);
            logits.Add(last);
            past += step.Length;
            step = [next];
        }

        return (tokens, logits);
    }

    /// <summary>Runs a whole batch once from an empty cache; returns the logits [batch, seq, vocab].</summary>
    public float[] Prefill(long[] ids, int batch, long[] mask)
    {
        using var cache = new KvCache(this, batch, 0);
        return Run(cache, ids, batch, past: 0, sharedBuffer: false, mask);
    }

    public static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }

        return best;
    }

    public void Dispose()
    {
        _run.Dispose();
        _session.Dispose();
    }

    private float[] Run(KvCache cache, long[] ids, int batch, int past, bool sharedBuffer, long[]? mask = null)
    {
        int seq = ids.Length / batch;
        int total = past + seq;
        mask ??= Enumerable.Repeat(1L, batch * total).ToArray();
        var names = new List<string> { "input_ids", "attention_mask" };
        using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, [batch, seq]);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, [batch, total]);
        var values = new List<OrtValue> { idsValue, maskValue };
        using var positions = HasPositionIds ? OrtValue.CreateTensorValueFromMemory(Positions(batch, seq, past), [batch, seq]) : null;
        if (positions is not null)
        {
            names.Add("position_ids");
            values.Add(positions);
        }

        for (int layer = 0; layer < Layers; layer++)
        {
            names.Add($"past_key_values.{layer}.key");
            names.Add($"past_key_values.{layer}.value");
            values.Add(cache.Past[2 * layer]);
            values.Add(cache.Past[(2 * layer) + 1]);
        }

        string[] outputNames = ["logits", .. Enumerable.Range(0, Layers).SelectMany(l => new[] { $"present.{l}.key", $"present.{l}.value" })];
        if (sharedBuffer)
        {
            using var logits = OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, IoType, [batch, seq, Vocab]);
            _session.Run(_run, names, values, outputNames, [logits, .. cache.Past]);
            return ToFloats(logits);
        }

        // The presents move into the cache (the next step's past), so only the logits are disposed here.
        IDisposableReadOnlyCollection<OrtValue> outputs = _session.Run(_run, names, values, outputNames);
        float[] result = ToFloats(outputs[0]);
        outputs[0].Dispose();
        cache.Replace(outputs.Skip(1));
        return result;
    }

    private static long[] Positions(int batch, int seq, int past)
    {
        long[] positions = new long[batch * seq];
        for (int b = 0; b < batch; b++)
        {
            for (int t = 0; t < seq; t++)
            {
                positions[(b * seq) + t] = past + t;
            }
        }

        return positions;
    }

    private float[] ToFloats(OrtValue value)
    {
        if (!Half)
        {
            return value.GetTensorDataAsSpan<float>().ToArray();
        }

        ReadOnlySpan<Half> halves = MemoryMarshal.Cast<Float16, Half>(value.GetTensorDataAsSpan<Float16>());
        float[] floats = new float[halves.Length];
        for (int i = 0; i < floats.Length; i++)
        {
            floats[i] = (float)halves[i];
        }

        return floats;
    }

    /// <summary>The past tensors: empty [B, kv, 0, hd] ones that grow, or zeroed [B, kv, max, hd] buffers reused in place.</summary>
    private sealed class KvCache : IDisposable
    {
        public KvCache(OrtDecoder decoder, int batch, int maxLength)
        {
            for (int i = 0; i < 2 * decoder.Layers; i++)
            {
                var value = OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, decoder.IoType, [batch, decoder.KvHeads, maxLength, decoder.HeadSize]);
                if (maxLength > 0)
                {
                    value.GetTensorMutableRawData().Clear();
                }

                Past.Add(value);
            }
        }

        public List<OrtValue> Past { get; } = [];

        public void Replace(IEnumerable<OrtValue> presents)
        {
            foreach (OrtValue value in Past)
            {
                value.Dispose();
            }

            Past.Clear();
            Past.AddRange(presents);
        }

        public void Dispose()
        {
            foreach (OrtValue value in Past)
            {
                value.Dispose();
            }
        }
    }
}
