using Sllm.Generation;

namespace Sllm.Tests.Generation;

/// <summary>Minimum length, repetition, no-repeat n-gram, frequency and presence penalties, and their order.</summary>
public sealed class TokenSamplerPenaltyTests
{
    [Fact]
    public void Repetition_Penalty_Makes_Seen_Tokens_Rarer()
    {
        const int Vocabulary = 1000;
        int[] prompt = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
        var sampler = new TokenSampler(
            new SamplingOptions { DoSample = true, TopK = Vocabulary, RepetitionPenalty = 2.0f, Seed = 17 }, Vocabulary, []);
        var counts = new int[Vocabulary];
        float[] logits = new float[Vocabulary];
        for (int i = 0; i < 50_000; i++)
        {
            Array.Fill(logits, 5.0f);
            counts[sampler.Sample(prompt, prompt.Length, logits)]++;
        }

        Assert.Equal(2.5f, logits[0]);
        Assert.Equal(5.0f, logits[10]);
        double penalized = counts[..10].Average();
        double unpenalized = counts[10..].Average();

        // exp(5) / exp(2.5) is about 12.
        Assert.True(unpenalized > penalized * 3.0, $"penalized {penalized}, unpenalized {unpenalized}");
    }

    [Fact]
    public void Repetition_Penalty_Divides_Positive_Multiplies_Negative_Once_Per_Distinct_Token()
    {
        var sampler = new TokenSampler(new SamplingOptions { RepetitionPenalty = 2.0f }, 6, []);
        float[] logits = [4f, -4f, 4f, 0f, 4f, 1f];
        sampler.Sample([0, 0, 0, 1, 1, 3, 99, -1], 8, logits);
        Assert.Equal([2f, -8f, 4f, 0f, 4f, 1f], logits);
    }

    [Fact]
    public void No_Repeat_Ngram_Bans_The_Token_That_Would_Repeat_An_Ngram()
    {
        Assert.Equal(7, FirstToken(0));
        Assert.Equal(42, FirstToken(3));

        // The trailing 6 was followed by 7 before, so the 2-gram (6, 7) is banned as well.
        Assert.Equal(42, FirstToken(2));

        // Longer than any repeated context: nothing is banned.
        Assert.Equal(7, FirstToken(4));

        static int FirstToken(int ngramSize)
        {
            float[] logits = new float[1000];
            Array.Fill(logits, 5.0f);
            logits[7] = 10.0f;
            logits[42] = 8.0f;
            var sampler = new TokenSampler(new SamplingOptions { NoRepeatNgramSize = ngramSize }, 1000, []);
            int token = sampler.Sample([5, 6, 7, 8, 5, 6], 6, logits);
            Assert.Equal(token == 42 ? float.MinValue : 10.0f, logits[7]);
            return token;
        }
    }

    [Fact]
    public void Min_Length_Bans_Every_Eos_Until_The_Sequence_Is_Long_Enough()
    {
        var sampler = new TokenSampler(new SamplingOptions { MinLength = 5 }, 6, [2, 3]);
        float[] logits = [0f, 1f, 9f, 8f, 2f, 0f];
        Assert.Equal(4, sampler.Sample([1, 1, 1, 1], 2, logits));
        Assert.Equal(float.MinValue, logits[2]);
        Assert.Equal(float.MinValue, logits[3]);

        logits = [0f, 1f, 9f, 8f, 2f, 0f];
        Assert.Equal(2, sampler.Sample([1, 1, 1, 1, 1], 2, logits));
    }

    [Fact]
    public void Frequency_And_Presence_Penalties_Count_Only_Generated_Tokens()
    {
        var options = new SamplingOptions { FrequencyPenalty = 0.5f, PresencePenalty = 1.0f };
        var sampler = new TokenSampler(options, 10, []);
        int[] sequence = [7, 7, 7, 3, 3, 4];
        float[] logits = new float[10];
        Assert.Equal(0, sampler.Sample(sequence, 3, logits));
        Assert.Equal([0f, 0f, 0f, -2f, -1.5f, 0f, 0f, 0f, 0f, 0f], logits);

        logits = new float[10];
        sampler.Sample(sequence, sequence.Length, logits);
        Assert.All(logits, l => Assert.Equal(0f, l));
    }

    [Fact]
    public void Penalties_Apply_In_Order_Min_Length_Repetition_Ngram_Frequency_Then_Processors()
    {
        var recorder = new RecordingProcessor();
        var options = new SamplingOptions { MinLength = 10, RepetitionPenalty = 2.0f, NoRepeatNgramSize = 2, FrequencyPenalty = 1.0f };
        var sampler = new TokenSampler(options, 8, [5], [recorder]);
        float[] logits = [1f, 1f, 1f, 4f, 1f, 6f, 1f, 1f];
        sampler.Sample([5, 3, 1, 2, 3], 3, logits);

        // EOS 5 is set to the lowest float by the minimum length, then multiplied by the repetition penalty (as in ORT
        // GenAI) to -inf; token 3: 4 / 2 (repetition) - 1 (generated once); token 2: 1 / 2 - 1; token 1 followed the
        // context (3) before, so the 2-gram ban sets it to the lowest float.
        float[] expected = [1f, float.MinValue, -0.5f, 1f, 1f, float.NegativeInfinity, 1f, 1f];
        Assert.Equal(expected, recorder.Seen);
        Assert.Equal([5, 3, 1, 2, 3], recorder.Sequence);
        Assert.Equal(3, recorder.PromptLength);
    }

    private sealed class RecordingProcessor : ILogitsProcessor
    {
        public float[] Seen { get; private set; } = [];

        public int[] Sequence { get; private set; } = [];

        public int PromptLength { get; private set; }

        public void Process(ReadOnlySpan<int> sequence, int promptLength, Span<float> logits)
        {
            Seen = logits.ToArray();
            Sequence = sequence.ToArray();
            PromptLength = promptLength;
        }
    }
}
