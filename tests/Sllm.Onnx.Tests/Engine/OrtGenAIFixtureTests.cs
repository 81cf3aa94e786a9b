using Sllm.Testing;
using Xunit;

namespace Sllm.Onnx.Engine;

/// <summary>Reproduces ONNX Runtime GenAI's own expectations on its test models (../shared/fixtures/README.md).</summary>
public sealed class OrtGenAIFixtureTests
{
    private static readonly int[] Row0 = [0, 0, 0, 52];
    private static readonly int[] Row1 = [0, 0, 195, 731];
    private static readonly int[] Expected0 = [0, 0, 0, 52, 204, 204, 204, 204, 204, 204];
    private static readonly int[] Expected1 = [0, 0, 195, 731, 731, 114, 114, 114, 114, 114];

    [SharedTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Gpt2_greedy_rows_alone(bool fp16)
    {
        using OnnxModel model = await Fixtures.LoadAsync(fp16 ? Fixtures.Gpt2Fp16 : Fixtures.Gpt2Fp32);
        Assert.Equal(Expected0, Fixtures.Greedy(model, Row0, 10));
        Assert.Equal(Expected1, Fixtures.Greedy(model, Row1, 10));
    }

    [SharedTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Gpt2_greedy_rows_batched(bool fp16)
    {
        using OnnxModel model = await Fixtures.LoadAsync(fp16 ? Fixtures.Gpt2Fp16 : Fixtures.Gpt2Fp32);
        using Generator generator = model.CreateGenerator(new GeneratorOptions { MaxLength = 10, BatchSize = 2 });
        generator.AppendTokenSequences([Row0, Row1]);
        Assert.Equal(4, generator.TokenCount);
        while (!generator.IsDone)
        {
            generator.GenerateNextToken();
        }

        Assert.Equal(Expected0, generator.GetSequence(0).ToArray());
        Assert.Equal(Expected1, generator.GetSequence(1).ToArray());
        Assert.Equal(10, generator.TokenCount);
        Assert.Equal(GenerationFinishReason.MaxLength, generator.GetFinishReason(0));
    }

    [SharedFact]
    public async Task Gpt2_prompt_logits_match_to_1e3()
    {
        using OnnxModel model = await Fixtures.LoadAsync(Fixtures.Gpt2Fp32);
        using Generator generator = model.CreateGenerator(new GeneratorOptions { MaxLength = 10, BatchSize = 2 });
        generator.AppendTokenSequences([Row0, Row1]);
        float[] row0 = [-0.12675379f, -0.04443946f, 0.14492269f, 0.03021223f, -0.03212897f];
        float[] row1 = [0.2938929f, -0.10538938f, -0.00226692f, 0.12050669f, -0.10622668f];
        AssertSamples(row0, generator.GetLogits(0));
        AssertSamples(row1, generator.GetLogits(1));

        // ORT GenAI's values after two GenerateNextToken calls: the second runs the model on the first generated token.
        generator.GenerateNextToken();
        generator.GenerateNextToken();
        AssertSamples([0.03742531f, -0.05752287f, 0.14159015f, 0.04210977f, -0.1484456f], generator.GetLogits(0));
        AssertSamples([0.3041716f, -0.08701379f, -0.03778192f, 0.07471392f, -0.02049096f], generator.GetLogits(1));
    }

    [SharedFact]
    public async Task Gpt2_rewind_reproduces_the_row()
    {
        using OnnxModel model = await Fixtures.LoadAsync(Fixtures.Gpt2Fp32);
        using Generator generator = model.CreateGenerator(new GeneratorOptions { MaxLength = 10 });
        generator.AppendTokens(Row1);
        Run(generator);
        Assert.Equal(Expected1, generator.GetSequence(0).ToArray());

        generator.RewindTo(5);
        Assert.Equal(5, generator.TokenCount);
        Run(generator);
        Assert.Equal(Expected1, generator.GetSequence(0).ToArray());

        generator.RewindTo(3);
        generator.AppendTokens([731, 731]);
        Run(generator);
        Assert.Equal(Expected1, generator.GetSequence(0).ToArray());

        generator.RewindTo(0);
        generator.AppendTokens(Row1);
        Run(generator);
        Assert.Equal(Expected1, generator.GetSequence(0).ToArray());
    }

    [SharedFact]
    public async Task Gpt2_batch_rewinds_to_zero_and_reruns()
    {
        using OnnxModel model = await Fixtures.LoadAsync(Fixtures.Gpt2Fp32);
        using Generator generator = model.CreateGenerator(new GeneratorOptions { MaxLength = 10, BatchSize = 2 });
        generator.AppendTokenSequences([Row0, Row1]);
        Run(generator);
        Assert.Throws<ArgumentOutOfRangeException>(() => generator.RewindTo(5));
        generator.RewindTo(0);
        generator.AppendTokenSequences([Row0, Row1]);
        Run(generator);
        Assert.Equal(Expected0, generator.GetSequence(0).ToArray());
        Assert.Equal(Expected1, generator.GetSequence(1).ToArray());
    }

    [SharedFact]
    public async Task Gpt2_tokenizer_matches_the_fixture_table()
    {
        using OnnxModel model = await OnnxModel.CreateAsync(Fixtures.Gpt2Fp32);
        Assert.NotNull(model.Tokenizer);
        Assert.Equal([1212, 318, 257, 1332, 13], model.Tokenizer!.EncodeToIds("This is a test.", addSpecialTokens: false));
        Assert.Equal([1212, 318, 257, 1332, 13, 50256], model.Tokenizer.EncodeToIds("This is a test.<|endoftext|>", addSpecialTokens: false));
    }

    [SharedFact]
    public async Task Qwen35_gqa_shared_buffer_and_growing_kv_give_the_same_tokens()
    {
        using OnnxModel model = await Fixtures.LoadAsync(Fixtures.Qwen35);
        int[] expected = [10, 20, 30, 40, 231, 970, 539, 144, 127, 760];
        using (Generator shared = model.CreateGenerator(new GeneratorOptions { MaxLength = 10 }))
        {
            Assert.True(shared.SharesKvBuffer);
        }

        Assert.Equal(expected, Fixtures.Greedy(model, [10, 20, 30, 40], 10, share: true));
        Assert.Equal(expected, Fixtures.Greedy(model, [10, 20, 30, 40], 10, share: false));
    }

    [SharedFact]
    public async Task Qwen35_rewind_with_shared_buffer_reproduces_the_row()
    {
        using OnnxModel model = await Fixtures.LoadAsync(Fixtures.Qwen35);
        int[] expected = [10, 20, 30, 40, 231, 970, 539, 144, 127, 760];
        using Generator generator = model.CreateGenerator(new GeneratorOptions { MaxLength = 10 });
        generator.AppendTokens([10, 20, 30, 40]);
        Run(generator);
        generator.RewindTo(6);
        Run(generator);
        Assert.Equal(expected, generator.GetSequence(0).ToArray());
        generator.RewindTo(2);
        generator.AppendTokens([30, 40, 231]);
        Run(generator);
        Assert.Equal(expected, generator.GetSequence(0).ToArray());
    }

    [SharedFact]
    public async Task Qwen35_config_naming_cuda_is_a_clear_error_without_the_gpu_package()
    {
        var ex = await Assert.ThrowsAsync<ModelLoadException>(() => OnnxModel.CreateAsync(Fixtures.Qwen35, new OnnxModelOptions { RequireTokenizer = false }));
        Assert.Equal(SllmErrorKind.ExecutionProviderUnavailable, ex.Kind);
        Assert.Contains("cuda", ex.Message, StringComparison.Ordinal);
        Assert.Contains("genai_config.json", ex.Message, StringComparison.Ordinal);
    }

    [SharedFact]
    public async Task Lfm2_generates_and_refuses_to_rewind()
    {
        using OnnxModel model = await Fixtures.LoadAsync(Fixtures.Lfm2);
        Assert.False(model.CanRewind);
        using Generator generator = model.CreateGenerator(new GeneratorOptions { MaxLength = 10 });
        generator.AppendTokens([0, 0, 195, 731]);
        Run(generator);
        int length = generator.GetSequence(0).Length;
        Assert.InRange(length, 5, 10);
        var ex = Assert.Throws<GenerationException>(() => generator.RewindTo(0));
        Assert.Equal(SllmErrorKind.UnsupportedOperation, ex.Kind);
        Assert.Contains("lfm2", ex.Message, StringComparison.Ordinal);
        Assert.Equal(length, generator.GetSequence(0).Length);
    }

    private static void Run(Generator generator)
    {
        while (!generator.IsDone)
        {
            generator.GenerateNextToken();
        }
    }

    private static void AssertSamples(float[] expected, ReadOnlySpan<float> logits)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - logits[i * 200]) < 1e-3, $"logit {i * 200}: expected {expected[i]}, got {logits[i * 200]}");
        }
    }
}
