using Sllm.Generation;
using Sllm.Onnx.Engine;
using Xunit;

namespace Sllm.Onnx.Speculation;

/// <summary>Speculative sampling keeps the target's distribution: the acceptance rule on synthetic p and q, the processed
/// distribution against the sampler's own draws, and whole verification rounds on a model.</summary>
public sealed class SamplingSpeculationTests
{
    private static readonly float[] P = [0.5f, 0.2f, 0.15f, 0.1f, 0.05f];

    public static TheoryData<float[]> DraftDistributions => new()
    {
        new[] { 0.2f, 0.2f, 0.2f, 0.2f, 0.2f },
        new[] { 0.05f, 0.05f, 0.1f, 0.3f, 0.5f },
        new[] { 0.5f, 0.2f, 0.15f, 0.1f, 0.05f },
        new[] { 0f, 0f, 0f, 0f, 1f },
    };

    [Theory]
    [MemberData(nameof(DraftDistributions))]
    public void Accept_or_resample_turns_draws_from_q_into_draws_from_p(float[] q)
    {
        var sampler = new TokenSampler(new SamplingOptions { DoSample = true, TopK = 0, Seed = 11 }, P.Length, []);
        var random = new Random(5);
        long[] counts = new long[P.Length];
        long accepted = 0;
        float[] p = new float[P.Length];
        const int Draws = 200_000;
        for (int n = 0; n < Draws; n++)
        {
            int x = Draw(random, q);
            P.CopyTo(p, 0);
            int token = sampler.AcceptOrResample(p, x, q);
            counts[token]++;
            accepted += token == x ? 1 : 0;
        }

        (double statistic, double critical) = ChiSquare.Fit(counts, Array.ConvertAll(P, v => (double)v));
        Assert.True(statistic < critical, $"chi-square {statistic:F1} >= {critical:F1}: {string.Join(',', counts)}");

        // Expected acceptance is sum_x min(p(x), q(x)).
        double expectedAcceptance = 0;
        for (int i = 0; i < P.Length; i++)
        {
            expectedAcceptance += Math.Min(P[i], q[i]);
        }

        Assert.InRange((double)accepted / Draws, expectedAcceptance - 0.01, expectedAcceptance + 0.01);
    }

    [Theory]
    [InlineData(0, 0f, 0f, 1f)]
    [InlineData(3, 0f, 0f, 0.7f)]
    [InlineData(0, 0.8f, 0f, 1.3f)]
    [InlineData(4, 0.9f, 0.1f, 1f)]
    [InlineData(0, 0f, 0.2f, 0.8f)]
    public void Computed_probabilities_match_the_samplers_own_draws(int topK, float topP, float minP, float temperature)
    {
        float[] logits = [2.0f, 1.5f, 1.4f, 0.3f, -0.2f, -1f, 0.9f, 0.1f];
        var options = new SamplingOptions { DoSample = true, TopK = topK, TopP = topP, MinP = minP, Temperature = temperature, Seed = 3 };
        var sampler = new TokenSampler(options, logits.Length, []);
        float[] probabilities = new float[logits.Length];
        sampler.ComputeProbabilities([], 0, (float[])logits.Clone(), probabilities);
        Assert.Equal(1.0, probabilities.Sum(), 4);
        long[] counts = new long[logits.Length];
        float[] row = new float[logits.Length];
        for (int n = 0; n < 100_000; n++)
        {
            logits.CopyTo(row, 0);
            counts[sampler.Sample([], 0, row)]++;
        }

        for (int i = 0; i < logits.Length; i++)
        {
            Assert.True(probabilities[i] > 0 || counts[i] == 0, $"token {i} was drawn but has probability 0");
        }

        (double statistic, double critical) = ChiSquare.Fit(counts, Array.ConvertAll(probabilities, v => (double)v));
        Assert.True(statistic < critical, $"chi-square {statistic:F1} >= {critical:F1}");
    }

    [Fact]
    public void Greedy_probabilities_are_a_point_mass_on_the_first_maximum()
    {
        var sampler = new TokenSampler(new SamplingOptions(), 4, []);
        float[] probabilities = new float[4];
        sampler.ComputeProbabilities([], 0, new float[] { 1, 3, 3, 0 }, probabilities);
        Assert.Equal([0f, 1f, 0f, 0f], probabilities);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Sampled_tokens_with_speculation_have_the_plain_distribution(bool draftDistributions)
    {
        using OnnxModel model = await TestModels.LoadAsync(await TestModels.LlamaAsync());
        using OnnxModel twin = await TestModels.LoadAsync(await TestModels.LlamaAsync());
        int[] prompt = [5, 17, 42, 99, 7, 3];
        const int Runs = 1200;
        long[] plain = new long[model.VocabularySize];
        long[] fast = new long[model.VocabularySize];
        for (int seed = 0; seed < Runs; seed++)
        {
            // The first token is a plain step in both runs; the second is the first one a verification round chooses.
            GeneratorOptions options = Sampled(model, prompt.Length + 2, seed);
            using Generator a = model.CreateGenerator(options);
            a.AppendTokens(prompt);
            a.GenerateNextToken();
            a.GenerateNextToken();
            plain[a.GetSequence(0)[^1]]++;

            using Generator b = model.CreateGenerator(Sampled(model, prompt.Length + 3, seed + 100_000));
            b.AppendTokens(prompt);
            IDraftProvider provider = draftDistributions ? new UniformDraft(model.VocabularySize, seed) : new DraftModelProvider(twin, model, prompt.Length + 3);
            var decoder = new SpeculativeDecoder(b, provider, new SpeculativeDecodingOptions { InitialDraftTokens = 1, MaxDraftTokens = 1 });
            decoder.Step();
            decoder.Step();
            fast[b.GetSequence(0)[prompt.Length + 1]]++;
            (provider as IDisposable)?.Dispose();
        }

        (double statistic, double critical) = ChiSquare.Same(plain, fast);
        Assert.True(statistic < critical, $"chi-square {statistic:F1} >= {critical:F1}");
    }

    private static GeneratorOptions Sampled(OnnxModel model, int maxLength, int seed)
    {
        var options = new GeneratorOptions
        {
            MaxLength = maxLength,
            Sampling = new SamplingOptions { DoSample = true, TopK = 3, Temperature = 1.5f, Seed = seed },
        };
        options.EosTokenIds.Add(model.VocabularySize - 1);
        return options;
    }

    private static int Draw(Random random, float[] q)
    {
        double target = random.NextDouble(), cumulative = 0;
        for (int i = 0; i < q.Length; i++)
        {
            cumulative += q[i];
            if (target < cumulative)
            {
                return i;
            }
        }

        return q.Length - 1;
    }

    /// <summary>A sampled draft: uniform over the first few ids of the vocabulary, with its distribution reported.</summary>
    private sealed class UniformDraft(int vocabulary, int seed) : IDraftProvider
    {
        private readonly Random random = new(seed);

        public bool ProducesDistributions => true;

        public void Reset(ReadOnlySpan<int> prompt)
        {
        }

        public int Propose(ReadOnlySpan<int> sequence, Span<int> draft, Span<float> distributions)
        {
            distributions.Clear();
            for (int i = 0; i < draft.Length; i++)
            {
                Span<float> q = distributions.Slice(i * vocabulary, vocabulary);
                for (int t = 0; t < 600; t++)
                {
                    q[t] = 1f / 600;
                }

                draft[i] = random.Next(600);
            }

            return draft.Length;
        }

        public void Accept(ReadOnlySpan<int> sequence, int acceptedTokens)
        {
        }
    }
}
