using Sllm.Generation;

namespace Sllm.Tests.Generation;

/// <summary><see cref="TokenSampler.Sample"/> allocates nothing after construction.</summary>
public sealed class TokenSamplerAllocationTests
{
    public static TheoryData<string> Configurations() => ["greedy", "top-k", "top-p", "top-k+top-p", "min-p", "plain"];

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Sample_Does_Not_Allocate(string configuration)
    {
        const int Vocabulary = 8000;
        var options = new SamplingOptions
        {
            DoSample = configuration != "greedy",
            Seed = 3,
            RepetitionPenalty = 1.1f,
            NoRepeatNgramSize = 3,
            FrequencyPenalty = 0.2f,
            PresencePenalty = 0.3f,
            MinLength = 100,
            TopK = configuration switch { "top-k" or "top-k+top-p" => 40, "greedy" => 50, _ => 0 },
            TopP = configuration is "top-p" or "top-k+top-p" ? 0.9f : 0f,
            MinP = configuration == "min-p" ? 0.05f : 0f,
        };
        var sampler = new TokenSampler(options, Vocabulary, [1, 2], [new BanProcessor()]);
        var random = new Random(1);
        float[] source = new float[Vocabulary];
        for (int i = 0; i < source.Length; i++)
        {
            source[i] = (float)(random.NextDouble() * 12.0);
        }

        int[] sequence = new int[300];
        for (int i = 0; i < sequence.Length; i++)
        {
            sequence[i] = random.Next(Vocabulary);
        }

        float[] logits = new float[Vocabulary];
        for (int i = 0; i < 50; i++)
        {
            source.CopyTo(logits, 0);
            sampler.Sample(sequence, 100, logits);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        int checksum = 0;
        for (int i = 0; i < 1000; i++)
        {
            source.CopyTo(logits, 0);
            checksum += sampler.Sample(sequence, 100, logits);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.True(checksum >= 0);
    }

    private sealed class BanProcessor : ILogitsProcessor
    {
        public void Process(ReadOnlySpan<int> sequence, int promptLength, Span<float> logits) => logits[0] = float.NegativeInfinity;
    }
}
