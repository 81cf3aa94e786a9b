using Sllm.Generation;

namespace Sllm.Tests.Generation;

/// <summary>Greedy, top-k, top-p, top-k + top-p and min-p selection, after ONNX Runtime GenAI's sampling tests.</summary>
public sealed class TokenSamplerSelectionTests
{
    private static readonly float[][] TopKRows =
    [
        [2.0f, 1.5f, 1.25f, 0.25f, 0.25f],
        [0.25f, 2.0f, 1.25f, 1.5f, 0.25f],
        [0.25f, 2.0f, 0.25f, 1.5f, 1.25f],
        [1.25f, 0.25f, 1.5f, 0.25f, 2.0f],
    ];

    [Fact]
    public void TopK_1_With_Sampling_Is_Argmax_For_Every_Row()
    {
        float[][] rows =
        [
            [0.1f, 0.6f, 0.1f, 0.1f, 0.1f],
            [0.1f, 0.1f, 0.6f, 0.1f, 0.1f],
            [0.1f, 0.1f, 0.1f, 0.6f, 0.1f],
            [0.1f, 0.1f, 0.1f, 0.1f, 0.6f],
        ];
        var sampler = new TokenSampler(new SamplingOptions { DoSample = true, TopK = 1, TopP = 0.25f, Seed = 3 }, 5, []);
        int[] sequence = [0, 1, 2, 3];
        for (int row = 0; row < rows.Length; row++)
        {
            Assert.Equal(row + 1, sampler.Sample(sequence.AsSpan(row, 1), 1, rows[row].ToArray()));
        }
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(0.25f)]
    public void TopK_2_Only_Draws_The_Two_Highest(float topP)
    {
        var seen = new HashSet<(int Row, int Token)>();
        for (int seed = 0; seed < 200; seed++)
        {
            var sampler = new TokenSampler(new SamplingOptions { DoSample = true, TopK = 2, TopP = topP, Seed = seed }, 5, []);
            for (int row = 0; row < TopKRows.Length; row++)
            {
                int token = sampler.Sample([row], 1, TopKRows[row].ToArray());
                Assert.True(TopKRows[row][token] > 1.25f, $"seed {seed} row {row} drew {token}");
                seen.Add((row, token));
            }
        }

        // Top-p 0.25 keeps only the first token (its probability, 0.62, already reaches 0.25); without it both are drawn.
        Assert.Equal(topP == 0 ? 8 : 4, seen.Count);
    }

    [Fact]
    public void TopP_On_A_Flat_Distribution_Draws_Most_Of_The_Nucleus()
    {
        const int Vocabulary = 500;
        var sampler = new TokenSampler(new SamplingOptions { DoSample = true, TopK = 0, TopP = 0.95f, Seed = 11 }, Vocabulary, []);
        var counts = new int[Vocabulary];
        float[] logits = new float[Vocabulary];
        for (int i = 0; i < 5000; i++)
        {
            Array.Fill(logits, 1.0f);
            counts[sampler.Sample([0], 1, logits)]++;
        }

        int distinct = counts.Count(c => c > 0);
        Assert.True(distinct > Vocabulary * 85 / 100, $"only {distinct} tokens drawn");

        // The nucleus is 475 tokens (give or take float rounding of the cumulative sum); equal probabilities are ordered
        // by token id, so the last ids are cut.
        Assert.All(counts[480..], c => Assert.Equal(0, c));
    }

    public static TheoryData<int, float, float> Distributions() => new()
    {
        { 5, 0f, 0.7f },
        { 5, 0.8f, 1.0f },
        { 0, 0.8f, 1.3f },
        { 0, 0f, 1.0f },
        { 10, 0f, 0.5f },
    };

    [Theory]
    [MemberData(nameof(Distributions))]
    public void Draws_Follow_The_Truncated_Softmax(int topK, float topP, float temperature)
    {
        float[] logits = [1.0f, 3.0f, 0.5f, 2.5f, -1.0f, 2.0f, 0.0f, 1.5f, -0.5f, 2.8f];
        double[] expected = ExpectedDistribution(logits, topK, topP, temperature);
        var sampler = new TokenSampler(
            new SamplingOptions { DoSample = true, TopK = topK, TopP = topP, Temperature = temperature, Seed = 1234 }, logits.Length, []);
        const int Draws = 40_000;
        var counts = new int[logits.Length];
        for (int i = 0; i < Draws; i++)
        {
            counts[sampler.Sample([0], 1, logits.ToArray())]++;
        }

        for (int token = 0; token < logits.Length; token++)
        {
            if (expected[token] == 0)
            {
                Assert.Equal(0, counts[token]);
            }
            else
            {
                Assert.InRange((double)counts[token] / Draws, expected[token] - 0.015, expected[token] + 0.015);
            }
        }
    }

    [Fact]
    public void Temperature_0_Is_Greedy_And_Greedy_Takes_The_First_Maximum()
    {
        var random = new Random(7);
        var sampler = new TokenSampler(new SamplingOptions { DoSample = true, Temperature = 0, Seed = 1 }, 100, []);
        for (int i = 0; i < 50; i++)
        {
            float[] logits = new float[100];
            for (int j = 0; j < logits.Length; j++)
            {
                logits[j] = (float)random.NextDouble();
            }

            int expected = Array.IndexOf(logits, logits.Max());
            Assert.Equal(expected, sampler.Sample([0], 1, logits));
        }

        var greedy = new TokenSampler(new SamplingOptions(), 5, []);
        Assert.Equal(1, greedy.Sample([0], 1, new[] { 0f, 2f, 1f, 2f, 2f }));
        Assert.Equal(0, greedy.Sample([0], 1, new[] { -0f, 0f, -1f, 0f, -0f }));
    }

    [Fact]
    public void Same_Seed_Repeats_And_Different_Seeds_Differ()
    {
        int[] first = Draw(42, 300);
        Assert.Equal(first, Draw(42, 300));
        Assert.NotEqual(first, Draw(43, 300));
        Assert.NotEqual(Draw(null, 300), Draw(null, 300));

        static int[] Draw(int? seed, int count)
        {
            var sampler = new TokenSampler(new SamplingOptions { DoSample = true, TopK = 0, Seed = seed }, 1000, []);
            int[] tokens = new int[count];
            float[] logits = new float[1000];
            for (int i = 0; i < count; i++)
            {
                Array.Fill(logits, 0f);
                tokens[i] = sampler.Sample([0], 1, logits);
            }

            return tokens;
        }
    }

    [Theory]
    [InlineData(0, 0f, 1.0f)]
    [InlineData(5, 0f, 1.0f)]
    [InlineData(5, 0.999f, 1.0f)]
    [InlineData(0, 0.999f, 1.0f)]
    [InlineData(0, 0f, 2.0f)]
    [InlineData(5, 0.999f, 2.0f)]
    public void MinP_Drops_Tokens_Below_The_Threshold_After_Temperature(int topK, float topP, float temperature)
    {
        // Probability ratios to the top at temperature 1: 1, e^-1 = 0.37, e^-2 = 0.14, e^-3, e^-10; at temperature 2
        // they are 1, 0.61, 0.37, 0.22, 0.007, so the cut at 0.2 keeps two tokens or four.
        float[] logits = [0f, -1f, -2f, -3f, -10f];
        int kept = temperature == 1.0f ? 2 : 4;
        var sampler = new TokenSampler(
            new SamplingOptions { DoSample = true, TopK = topK, TopP = topP, Temperature = temperature, MinP = 0.2f, Seed = 5 }, 5, []);
        var counts = new int[5];
        for (int i = 0; i < 4000; i++)
        {
            counts[sampler.Sample([0], 1, logits.ToArray())]++;
        }

        for (int token = 0; token < 5; token++)
        {
            Assert.True(token < kept ? counts[token] > 0 : counts[token] == 0, $"token {token}: {counts[token]} draws");
        }
    }

    [Fact]
    public void Plain_Sampling_Reaches_Every_Token()
    {
        var sampler = new TokenSampler(new SamplingOptions { DoSample = true, TopK = 0, Seed = 2 }, 4, []);
        var seen = new HashSet<int>();
        for (int i = 0; i < 200; i++)
        {
            seen.Add(sampler.Sample([0], 1, new float[4]));
        }

        Assert.Equal(4, seen.Count);
    }

    /// <summary>The reference distribution, computed independently in double with ORT GenAI's cut rules.</summary>
    private static double[] ExpectedDistribution(float[] logits, int topK, float topP, float temperature)
    {
        int[] order = Enumerable.Range(0, logits.Length).OrderByDescending(i => logits[i]).ThenBy(i => i).ToArray();
        int keep = topK > 0 ? topK : logits.Length;
        double max = logits.Max();
        double[] weights = order.Take(keep).Select(i => Math.Exp((logits[i] - max) / temperature)).ToArray();
        if (topP > 0 && topP < 1)
        {
            double sum = weights.Sum();
            double cumulative = 0;
            for (int j = 0; j < keep; j++)
            {
                cumulative += weights[j] / sum;
                if (cumulative >= topP)
                {
                    keep = j + 1;
                    break;
                }
            }
        }

        double total = weights.Take(keep).Sum();
        double[] result = new double[logits.Length];
        for (int j = 0; j < keep; j++)
        {
            result[order[j]] = weights[j] / total;
        }

        return result;
    }
}
