using Sllm.Generation;

namespace Sllm.Tests.Generation;

/// <summary>Defaults, validation and copying of <see cref="SamplingOptions"/>.</summary>
public sealed class SamplingOptionsTests
{
    [Fact]
    public void Defaults_Are_The_Documented_Ones()
    {
        var options = new SamplingOptions();
        Assert.False(options.DoSample);
        Assert.Equal(1.0f, options.Temperature);
        Assert.Equal(50, options.TopK);
        Assert.Equal(0f, options.TopP);
        Assert.Equal(0f, options.MinP);
        Assert.Equal(1.0f, options.RepetitionPenalty);
        Assert.Equal(0f, options.FrequencyPenalty);
        Assert.Equal(0f, options.PresencePenalty);
        Assert.Equal(0, options.NoRepeatNgramSize);
        Assert.Equal(0, options.MinLength);
        Assert.Null(options.Seed);
        options.Validate(50);
    }

    public static TheoryData<string, Action<SamplingOptions>> InvalidSettings() => new()
    {
        { nameof(SamplingOptions.Temperature), o => o.Temperature = -0.1f },
        { nameof(SamplingOptions.Temperature), o => o.Temperature = float.NaN },
        { nameof(SamplingOptions.Temperature), o => o.Temperature = float.PositiveInfinity },
        { nameof(SamplingOptions.TopK), o => (o.DoSample, o.TopK) = (true, 1001) },
        { nameof(SamplingOptions.TopK), o => (o.DoSample, o.TopK) = (true, -1) },
        { nameof(SamplingOptions.TopP), o => o.TopP = -0.5f },
        { nameof(SamplingOptions.TopP), o => o.TopP = float.NaN },
        { nameof(SamplingOptions.MinP), o => o.MinP = 1.5f },
        { nameof(SamplingOptions.MinP), o => o.MinP = -0.1f },
        { nameof(SamplingOptions.MinP), o => o.MinP = float.NaN },
        { nameof(SamplingOptions.RepetitionPenalty), o => o.RepetitionPenalty = 0 },
        { nameof(SamplingOptions.RepetitionPenalty), o => o.RepetitionPenalty = float.NaN },
        { nameof(SamplingOptions.FrequencyPenalty), o => o.FrequencyPenalty = float.NegativeInfinity },
        { nameof(SamplingOptions.PresencePenalty), o => o.PresencePenalty = float.NaN },
        { nameof(SamplingOptions.NoRepeatNgramSize), o => o.NoRepeatNgramSize = -1 },
        { nameof(SamplingOptions.MinLength), o => o.MinLength = -1 },
    };

    [Theory]
    [MemberData(nameof(InvalidSettings))]
    public void Validate_Names_The_Property_Out_Of_Range(string property, Action<SamplingOptions> change)
    {
        var options = new SamplingOptions();
        change(options);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => options.Validate(1000));
        Assert.Equal(property, error.ParamName);
        Assert.Contains(property, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TopK_Above_The_Vocabulary_Mentions_The_Vocabulary_Size()
    {
        var options = new SamplingOptions { DoSample = true, TopK = 5000 };
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => options.Validate(1000));
        Assert.Contains("vocabulary size (1000)", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new TokenSampler(options, 1000, []));
    }

    [Fact]
    public void Off_Values_And_Boundaries_Are_Valid()
    {
        new SamplingOptions { DoSample = true, TopK = 0, TopP = 3f, MinP = 1f, FrequencyPenalty = -2, PresencePenalty = 2 }.Validate(10);
        new SamplingOptions { DoSample = true, TopK = 10 }.Validate(10);

        // Top-k is not used, so not checked, by greedy settings (ORT GenAI checks it only when sampling).
        new SamplingOptions { TopK = 5000 }.Validate(10);
        new SamplingOptions { DoSample = true, Temperature = 0, TopK = -1 }.Validate(10);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SamplingOptions().Validate(0));
    }

    [Fact]
    public void Clone_Is_Independent()
    {
        var options = new SamplingOptions
        {
            DoSample = true, Temperature = 0.7f, TopK = 7, TopP = 0.9f, MinP = 0.05f, RepetitionPenalty = 1.1f,
            FrequencyPenalty = 0.3f, PresencePenalty = 0.4f, NoRepeatNgramSize = 3, MinLength = 5, Seed = 9,
        };
        var copy = options.Clone();
        options.TopK = 1;
        options.Seed = null;
        Assert.Equal(7, copy.TopK);
        Assert.Equal(9, copy.Seed);
        Assert.True(copy.DoSample);
        Assert.Equal(0.7f, copy.Temperature);
        Assert.Equal(0.9f, copy.TopP);
        Assert.Equal(0.05f, copy.MinP);
        Assert.Equal(1.1f, copy.RepetitionPenalty);
        Assert.Equal(0.3f, copy.FrequencyPenalty);
        Assert.Equal(0.4f, copy.PresencePenalty);
        Assert.Equal(3, copy.NoRepeatNgramSize);
        Assert.Equal(5, copy.MinLength);
    }

    [Theory]
    [InlineData(false, 1.0f, 50, 0.9f, "Greedy")]
    [InlineData(true, 1.0f, 1, 0.9f, "Greedy")]
    [InlineData(true, 0.0f, 50, 0.9f, "Greedy")]
    [InlineData(true, 1.0f, 50, 0.9f, "TopKTopP")]
    [InlineData(true, 1.0f, 50, 0f, "TopK")]
    [InlineData(true, 1.0f, 50, 1f, "TopK")]
    [InlineData(true, 1.0f, 0, 0.9f, "TopP")]
    [InlineData(true, 1.0f, 0, 0f, "Unrestricted")]
    [InlineData(true, 1.0f, 0, 1.5f, "Unrestricted")]
    public void Method_Is_Chosen_Like_Ort_GenAI(bool doSample, float temperature, int topK, float topP, string expected)
    {
        var options = new SamplingOptions { DoSample = doSample, Temperature = temperature, TopK = topK, TopP = topP };
        Assert.Equal(expected, options.ResolveMethod().ToString());
    }
}
