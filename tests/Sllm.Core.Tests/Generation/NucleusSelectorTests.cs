using Sllm.Generation;

namespace Sllm.Tests.Generation;

/// <summary>The unsorted nucleus is exactly the set a full descending sort keeps.</summary>
public sealed class NucleusSelectorTests
{
    [Theory]
    [InlineData(1, 0.5f)]
    [InlineData(7, 0.9f)]
    [InlineData(40, 0.3f)]
    [InlineData(500, 0.95f)]
    [InlineData(5000, 0.9f)]
    [InlineData(5000, 0.05f)]
    [InlineData(20000, 0.99f)]
    public void Nucleus_Equals_The_Sorted_Prefix(int size, float topP)
    {
        var random = new Random(size);
        for (int trial = 0; trial < 20; trial++)
        {
            float[] weights = new float[size];
            double scale = (trial % 4) switch { 0 => 0.5, 1 => 2.0, 2 => 8.0, _ => 0.0 };
            for (int i = 0; i < size; i++)
            {
                // Integer steps make ties common; scale 0 is a flat row.
                weights[i] = (float)Math.Exp(-scale * random.Next(0, 12));
            }

            float total = weights.Sum();
            ulong[] keys = new ulong[size];
            int count = NucleusSelector.Select(weights, total, topP, keys);
            int[] actual = keys.Take(count).Select(SortKey.Token).Order().ToArray();

            int[] sorted = Enumerable.Range(0, size).OrderByDescending(i => weights[i]).ThenBy(i => i).ToArray();
            double target = (double)topP * total;
            double cumulative = 0;
            int keep = size;
            for (int j = 0; j < size; j++)
            {
                cumulative += weights[sorted[j]];
                if (cumulative >= target)
                {
                    keep = j + 1;
                    break;
                }
            }

            Assert.Equal(sorted.Take(keep).Order().ToArray(), actual);
        }
    }

    [Fact]
    public void Greedy_Takes_The_First_Maximum_In_Long_Rows()
    {
        var sampler = new TokenSampler(new SamplingOptions(), 1000, []);
        var random = new Random(8);
        for (int trial = 0; trial < 200; trial++)
        {
            float[] logits = new float[1000];
            for (int i = 0; i < logits.Length; i++)
            {
                logits[i] = random.Next(-20, 5);
            }

            int expected = 0;
            for (int i = 1; i < logits.Length; i++)
            {
                if (logits[i] > logits[expected])
                {
                    expected = i;
                }
            }

            Assert.Equal(expected, sampler.Sample([0], 1, logits));
        }

        float[] zeros = new float[1000];
        Array.Fill(zeros, -1f);
        zeros[600] = -0f;
        zeros[700] = 0f;
        Assert.Equal(600, sampler.Sample([0], 1, zeros));
    }
}
