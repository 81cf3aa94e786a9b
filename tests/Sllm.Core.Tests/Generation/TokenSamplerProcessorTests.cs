using Sllm.Generation;

namespace Sllm.Tests.Generation;

/// <summary>Logits processors, banned rows, non-finite logits and argument checks.</summary>
public sealed class TokenSamplerProcessorTests
{
    [Theory]
    [InlineData(false, 50, 0f)]
    [InlineData(true, 50, 0f)]
    [InlineData(true, 50, 0.9f)]
    [InlineData(true, 0, 0.9f)]
    [InlineData(true, 0, 0f)]
    public void A_Processor_Can_Force_A_Token(bool doSample, int topK, float topP)
    {
        var force = new ForceProcessor(9);
        var sampler = new TokenSampler(new SamplingOptions { DoSample = doSample, TopK = topK, TopP = topP, Seed = 1 }, 100, [], [force]);
        for (int i = 0; i < 100; i++)
        {
            float[] logits = new float[100];
            logits[3] = 50f;
            Assert.Equal(9, sampler.Sample([1, 2], 1, logits));
        }

        Assert.Equal(100, force.Calls);
    }

    [Fact]
    public void Processors_Run_In_The_Given_Order()
    {
        var calls = new List<string>();
        var sampler = new TokenSampler(new SamplingOptions(), 4, [], [new NamedProcessor("a", calls), new NamedProcessor("b", calls)]);
        sampler.Sample([0], 1, new float[4]);
        sampler.Sample([0], 1, new float[4]);
        Assert.Equal(["a", "b", "a", "b"], calls);
    }

    [Theory]
    [InlineData(false, 50, 0f)]
    [InlineData(true, 2, 0f)]
    [InlineData(true, 2, 0.5f)]
    [InlineData(true, 0, 0.5f)]
    [InlineData(true, 0, 0f)]
    public void Every_Token_Banned_Throws(bool doSample, int topK, float topP)
    {
        var sampler = new TokenSampler(new SamplingOptions { DoSample = doSample, TopK = topK, TopP = topP, Seed = 1 }, 3, [], [new ForceProcessor(-1)]);
        var error = Assert.Throws<InvalidOperationException>(() => sampler.Sample([0], 1, new float[3]));
        Assert.Contains("banned", error.Message, StringComparison.Ordinal);

        var plain = new TokenSampler(new SamplingOptions { DoSample = doSample, TopK = topK, TopP = topP, Seed = 1 }, 3, []);
        Assert.Throws<InvalidOperationException>(() => plain.Sample([0], 1, new[] { float.NaN, float.NegativeInfinity, float.NaN }));
    }

    [Theory]
    [InlineData(false, 50, 0f)]
    [InlineData(true, 3, 0f)]
    [InlineData(true, 3, 0.99f)]
    [InlineData(true, 0, 0.99f)]
    [InlineData(true, 0, 0f)]
    public void Nan_Is_Never_Chosen_And_Infinity_Always_Is(bool doSample, int topK, float topP)
    {
        var options = new SamplingOptions { DoSample = doSample, TopK = topK, TopP = topP, Seed = 4 };
        var sampler = new TokenSampler(options, 4, []);
        for (int i = 0; i < 200; i++)
        {
            float[] logits = [float.NaN, 1f, 1f, float.NaN];
            int token = sampler.Sample([0], 1, logits);
            Assert.True(token is 1 or 2);
            Assert.Equal(float.NegativeInfinity, logits[0]);
            Assert.Equal(2, sampler.Sample([0], 1, new[] { 1f, float.NaN, float.PositiveInfinity, 5f }));
        }
    }

    [Fact]
    public void Arguments_Are_Checked()
    {
        var options = new SamplingOptions();
        Assert.Throws<ArgumentNullException>(() => new TokenSampler(null!, 4, []));
        Assert.Throws<ArgumentNullException>(() => new TokenSampler(options, 4, null!));
        var eos = Assert.Throws<ArgumentOutOfRangeException>(() => new TokenSampler(options, 4, [4]));
        Assert.Equal("eosTokenIds", eos.ParamName);
        Assert.Throws<ArgumentException>(() => new TokenSampler(options, 4, [], [null!]));

        var sampler = new TokenSampler(options, 4, [3]);
        Assert.Throws<ArgumentException>(() => sampler.Sample([0], 1, new float[5]));
        Assert.Throws<ArgumentOutOfRangeException>(() => sampler.Sample([0], 2, new float[4]));
        Assert.Throws<ArgumentOutOfRangeException>(() => sampler.Sample([0], -1, new float[4]));
        Assert.Equal(4, sampler.VocabularySize);
    }

    [Fact]
    public void Options_Are_Copied_At_Construction()
    {
        var options = new SamplingOptions { DoSample = false };
        var sampler = new TokenSampler(options, 3, []);
        options.DoSample = true;
        options.TopK = 0;
        for (int i = 0; i < 20; i++)
        {
            Assert.Equal(1, sampler.Sample([0], 1, new[] { 0f, 0.1f, 0f }));
        }
    }

    private sealed class ForceProcessor(int token) : ILogitsProcessor
    {
        public int Calls { get; private set; }

        public void Process(ReadOnlySpan<int> sequence, int promptLength, Span<float> logits)
        {
            Calls++;
            for (int i = 0; i < logits.Length; i++)
            {
                logits[i] = i == token ? 0f : float.NegativeInfinity;
            }
        }
    }

    private sealed class NamedProcessor(string name, List<string> calls) : ILogitsProcessor
    {
        public void Process(ReadOnlySpan<int> sequence, int promptLength, Span<float> logits) => calls.Add(name);
    }
}
