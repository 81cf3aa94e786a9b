using Sllm.Onnx.Building;
using Sllm.Generation;
using Xunit;

namespace Sllm.Onnx.Engine;

/// <summary>The generator on models written by the SDK's builder: KV layouts, batching, rewind, cancellation, limits.</summary>
public sealed class BuiltModelGenerationTests
{
    public static TheoryData<string> Variants => new() { "llama", "qwen2", "phi3", "mistral", "llama-fp16", "llama-unfused" };

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task Shared_buffer_and_growing_kv_give_identical_greedy_tokens(string variant)
    {
        using OnnxModel model = await TestModels.LoadAsync(await BuildVariantAsync(variant));
        int[] prompt = [5, 17, 42, 99, 7, 3];
        int[] shared = Greedy(model, prompt, 40, share: true, out bool sharedFlag);
        int[] growing = Greedy(model, prompt, 40, share: false, out bool growingFlag);
        Assert.True(sharedFlag);
        Assert.False(growingFlag);
        Assert.Equal(40, shared.Length);
        Assert.Equal(shared, growing);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Batch_of_unequal_prompts_equals_each_prompt_alone(bool share)
    {
        using OnnxModel model = await TestModels.LoadAsync(await TestModels.LlamaAsync());
        int[][] prompts = [[5, 17, 42, 99, 7, 3], [11, 12], [300, 301, 302, 303]];
        using Generator batch = model.CreateGenerator(Options(model, 24, share, batch: 3));
        batch.AppendTokenSequences(prompts);
        for (int b = 0; b < 3; b++)
        {
            using Generator single = model.CreateGenerator(Options(model, 24, share));
            single.AppendTokens(prompts[b]);
            float[] expected = single.GetLogits(0).ToArray();
            float[] actual = batch.GetLogits(b).ToArray();
            for (int v = 0; v < expected.Length; v++)
            {
                Assert.True(Math.Abs(expected[v] - actual[v]) < 1e-4, $"row {b} logit {v}: {expected[v]} vs {actual[v]}");
            }
        }

        while (!batch.IsDone)
        {
            batch.GenerateNextToken();
        }

        // A batch runs to the padded length, so the longest row's single run is the reference for its token count.
        for (int b = 0; b < 3; b++)
        {
            int[] row = batch.GetSequence(b).ToArray();
            int[] alone = Greedy(model, prompts[b], row.Length, share, out _);
            Assert.Equal(alone, row);
        }
    }

    [Fact]
    public async Task Rewind_then_generate_reproduces_the_sequence()
    {
        using OnnxModel model = await TestModels.LoadAsync(await TestModels.LlamaAsync());
        int[] prompt = [5, 17, 42, 99];
        int[] full = Greedy(model, prompt, 20, share: null, out _);
        foreach (bool share in new[] { true, false })
        {
            using Generator generator = model.CreateGenerator(Options(model, 20, share));
            generator.AppendTokens(prompt);
            Run(generator);
            generator.RewindTo(9);
            Assert.Equal(full.AsSpan(0, 9).ToArray(), generator.GetSequence(0).ToArray());
            Run(generator);
            Assert.Equal(full, generator.GetSequence(0).ToArray());
            generator.RewindTo(6);
            generator.AppendTokens(full.AsSpan(6, 5));
            Run(generator);
            Assert.Equal(full, generator.GetSequence(0).ToArray());
        }
    }

    [Fact]
    public async Task Append_after_finishing_continues_the_conversation_like_one_long_prompt()
    {
        using OnnxModel model = await TestModels.LoadAsync(await TestModels.LlamaAsync());
        using Generator generator = model.CreateGenerator(Options(model, 40, null));
        generator.AppendTokens([5, 17, 42]);
        for (int i = 0; i < 4; i++)
        {
            generator.GenerateNextToken();
        }

        generator.AppendTokens([8, 9]);
        generator.GenerateNextToken();
        int[] continued = generator.GetSequence(0).ToArray();

        using Generator fresh = model.CreateGenerator(Options(model, 40, null));
        fresh.AppendTokens(continued.AsSpan(0, continued.Length - 1));
        fresh.GenerateNextToken();
        Assert.Equal(continued, fresh.GetSequence(0).ToArray());
    }

    [Fact]
    public async Task Prompt_longer_than_max_length_is_a_clear_error_and_loses_nothing()
    {
        using OnnxModel model = await TestModels.LoadAsync(await TestModels.LlamaAsync());
        using Generator generator = model.CreateGenerator(new GeneratorOptions { MaxLength = 8 });
        generator.AppendTokens([1, 2, 3]);
        var ex = Assert.Throws<GenerationException>(() => generator.AppendTokens([4, 5, 6, 7, 8, 9]));
        Assert.Equal(SllmErrorKind.PromptTooLong, ex.Kind);
        Assert.Contains("8", ex.Message, StringComparison.Ordinal);
        Assert.Equal([1, 2, 3], generator.GetSequence(0).ToArray());
        generator.GenerateNextToken();
        Assert.Equal(4, generator.TokenCount);
    }

    [Fact]
    public async Task Max_length_above_the_context_length_is_rejected()
    {
        using OnnxModel model = await TestModels.LoadAsync(await TestModels.LlamaAsync());
        Assert.Throws<ArgumentOutOfRangeException>(() => model.CreateGenerator(new GeneratorOptions { MaxLength = model.ContextLength + 1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.CreateGenerator(new GeneratorOptions { BatchSize = 0 }));
    }

    [Fact]
    public async Task Out_of_vocabulary_ids_are_rejected_before_running()
    {
        using OnnxModel model = await TestModels.LoadAsync(await TestModels.LlamaAsync());
        using Generator generator = model.CreateGenerator();
        Assert.Throws<ArgumentOutOfRangeException>(() => generator.AppendTokens([1, model.VocabularySize]));
        Assert.Equal(0, generator.TokenCount);
    }

    [Fact]
    public async Task Eos_ends_the_sequence_with_its_reason()
    {
        using OnnxModel model = await TestModels.LoadAsync(await TestModels.LlamaAsync());
        int[] free = Greedy(model, [5, 17, 42], 12, share: null, out _);
        var options = new GeneratorOptions { MaxLength = 12 };
        options.EosTokenIds.Add(free[5]);
        using Generator generator = model.CreateGenerator(options);
        generator.AppendTokens([5, 17, 42]);
        Run(generator);
        Assert.Equal(GenerationFinishReason.EndOfSequence, generator.GetFinishReason(0));
        Assert.Equal(free.AsSpan(0, Array.IndexOf(free, free[5], 3) + 1).ToArray(), generator.GetSequence(0).ToArray());
    }

    [Fact]
    public async Task Cancellation_stops_within_a_step_and_keeps_the_state()
    {
        string path = await TestModels.GetAsync("wide", () => new ModelBuilderOptions { HiddenSize = 512, NumLayers = 8, NumAttentionHeads = 8, NumKeyValueHeads = 2, IntermediateSize = 2048, ContextLength = 2048 });
        using OnnxModel model = await TestModels.LoadAsync(path);
        int[] prompt = new int[1500];
        for (int i = 0; i < prompt.Length; i++)
        {
            prompt[i] = (i * 7) % 500;
        }

        using Generator generator = model.CreateGenerator(new GeneratorOptions { MaxLength = 2048 });
        generator.AppendTokens(prompt.AsSpan(0, 10));
        using var cts = new CancellationTokenSource();

        // A timer-based CancellationTokenSource fires on the thread pool, which parallel test classes can starve for
        // longer than the whole 1,490-token prefill; a dedicated thread cancels 30 ms in regardless of the pool.
        var canceller = new Thread(() =>
        {
            Thread.Sleep(30);
            cts.Cancel();
        })
        { IsBackground = true };
        canceller.Start();
        Assert.ThrowsAny<OperationCanceledException>(() => generator.AppendTokens(prompt.AsSpan(10), cts.Token));
        canceller.Join();
        Assert.Equal(10, generator.TokenCount);

        // The generator still works after the cancelled step and gives what an uncancelled one gives.
        generator.GenerateNextToken();
        using Generator reference = model.CreateGenerator(new GeneratorOptions { MaxLength = 2048 });
        reference.AppendTokens(prompt.AsSpan(0, 10));
        reference.GenerateNextToken();
        Assert.Equal(reference.GetSequence(0).ToArray(), generator.GetSequence(0).ToArray());
    }

    [Fact]
    public async Task Pre_cancelled_token_throws_without_running()
    {
        using OnnxModel model = await TestModels.LoadAsync(await TestModels.LlamaAsync());
        using Generator generator = model.CreateGenerator();
        generator.AppendTokens([1, 2, 3]);
        Assert.ThrowsAny<OperationCanceledException>(() => generator.GenerateNextToken(new CancellationToken(canceled: true)));
        Assert.Equal(3, generator.TokenCount);
        generator.GenerateNextToken();
        Assert.Equal(4, generator.TokenCount);
    }

    internal static async Task<string> BuildVariantAsync(string variant) => variant switch
    {
        "llama" => await TestModels.LlamaAsync(),
        "qwen2" => await TestModels.GetAsync(variant, () => ModelBuilderOptions.Tiny(ModelFamily.Qwen2)),
        "phi3" => await TestModels.GetAsync(variant, () => ModelBuilderOptions.Tiny(ModelFamily.Phi3)),
        "mistral" => await TestModels.GetAsync(variant, () => ModelBuilderOptions.Tiny(ModelFamily.Mistral)),
        "llama-fp16" => await TestModels.GetAsync(variant, () => { var o = ModelBuilderOptions.Tiny(); o.Precision = ModelPrecision.Float16; return o; }),
        "llama-unfused" => await TestModels.GetAsync(variant, () => { var o = ModelBuilderOptions.Tiny(); o.FuseRotary = false; return o; }),
        _ => throw new ArgumentOutOfRangeException(nameof(variant)),
    };

    private static GeneratorOptions Options(OnnxModel model, int maxLength, bool? share, int batch = 1)
    {
        SamplingOptions sampling = model.DefaultSamplingOptions;
        sampling.DoSample = false;
        var options = new GeneratorOptions { MaxLength = maxLength, PastPresentShareBuffer = share, Sampling = sampling, BatchSize = batch };

        // Builder models stop at <|im_end|>; these tests compare full-length runs, so an id the runs never produce ends them.
        options.EosTokenIds.Add(model.VocabularySize - 1);
        return options;
    }

    private static int[] Greedy(OnnxModel model, int[] prompt, int maxLength, bool? share, out bool shared)
    {
        using Generator generator = model.CreateGenerator(Options(model, maxLength, share));
        shared = generator.SharesKvBuffer;
        generator.AppendTokens(prompt);
        Run(generator);
        return generator.GetSequence(0).ToArray();
    }

    private static void Run(Generator generator)
    {
        while (!generator.IsDone)
        {
            generator.GenerateNextToken();
        }
    }
}
