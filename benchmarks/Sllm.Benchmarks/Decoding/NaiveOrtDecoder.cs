using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Sllm.Benchmarks.Decoding;

/// <summary>
/// The baseline: greedy decoding written the way ONNX Runtime's C# samples and most application code write it, with
/// none of Sllm's engine. Each step builds new <see cref="DenseTensor{T}"/> inputs from new arrays, wraps them in
/// <see cref="NamedOnnxValue"/>s, calls <see cref="InferenceSession.Run(IReadOnlyCollection{NamedOnnxValue})"/>, copies
/// every present KV tensor out to become the next past (so the cache grows by one copy per step), and picks the next
/// token with LINQ over the last position's logits.
/// </summary>
/// <remarks>
/// The session uses default <see cref="SessionOptions"/> (plus the intra-op thread count when one is given), which
/// match what Sllm builds from the builder's <c>genai_config.json</c>: full graph optimization, ONNX Runtime's default
/// threads. Deliberately not tuned otherwise: it is the code Sllm's engine is meant to replace. Not thread-safe.
/// </remarks>
internal sealed class NaiveOrtDecoder : IDisposable
{
    private readonly InferenceSession _session;
    private readonly int _layers;
    private readonly int _kvHeads;
    private readonly int _headSize;
    private readonly int _vocab;

    public NaiveOrtDecoder(string modelDirectory, int intraOpThreads = 0)
    {
        using var options = new SessionOptions();
        if (intraOpThreads > 0)
        {
            options.IntraOpNumThreads = intraOpThreads;
        }

        _session = new InferenceSession(Path.Combine(modelDirectory, "model.onnx"), options);
        NodeMetadata past = _session.InputMetadata["past_key_values.0.key"];
        _kvHeads = past.Dimensions[1];
        _headSize = past.Dimensions[3];
        _layers = _session.InputMetadata.Keys.Count(name => name.StartsWith("past_key_values.", StringComparison.Ordinal)) / 2;
        _vocab = _session.OutputMetadata["logits"].Dimensions[2];
    }

    /// <summary>Runs the prompt from an empty cache and picks the first token.</summary>
    public NaiveState Prefill(int[] prompt)
    {
        var state = new NaiveState { Past = new DenseTensor<float>[2 * _layers] };
        for (int i = 0; i < state.Past.Length; i++)
        {
            state.Past[i] = new DenseTensor<float>([1, _kvHeads, 0, _headSize]);
        }

        Run(state, prompt.Select(id => (long)id).ToArray());
        return state;
    }

    /// <summary>Runs the model on the last picked token and picks the next one.</summary>
    public void Step(NaiveState state) => Run(state, [state.NextToken]);

    public void Dispose() => _session.Dispose();

    private void Run(NaiveState state, long[] ids)
    {
        int total = state.Length + ids.Length;
        var inputs = new List<NamedOnnxValue>
        {
            NamedOnnxValue.CreateFromTensor("input_ids", new DenseTensor<long>(ids, [1, ids.Length])),
            NamedOnnxValue.CreateFromTensor("attention_mask", new DenseTensor<long>(Enumerable.Repeat(1L, total).ToArray(), [1, total])),
        };
        for (int layer = 0; layer < _layers; layer++)
        {
            inputs.Add(NamedOnnxValue.CreateFromTensor($"past_key_values.{layer}.key", state.Past[2 * layer]));
            inputs.Add(NamedOnnxValue.CreateFromTensor($"past_key_values.{layer}.value", state.Past[(2 * layer) + 1]));
        }

        using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> results = _session.Run(inputs);
        float[] logits = results.First(r => r.Name == "logits").AsTensor<float>().ToArray();
        state.NextToken = logits
            .Skip((ids.Length - 1) * _vocab)
            .Take(_vocab)
            .Select((logit, index) => (logit, index))
            .MaxBy(pair => pair.logit)
            .index;

        // The results are native memory freed with the collection, so the presents are copied out to be the next past.
        for (int layer = 0; layer < _layers; layer++)
        {
            state.Past[2 * layer] = results.First(r => r.Name == $"present.{layer}.key").AsTensor<float>().ToDenseTensor();
            state.Past[(2 * layer) + 1] = results.First(r => r.Name == $"present.{layer}.value").AsTensor<float>().ToDenseTensor();
        }

        state.Length = total;
    }
}
