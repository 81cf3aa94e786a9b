using Sllm.Onnx.Engine;
using Xunit;

namespace Sllm.Onnx.Chat;

/// <summary>The prefix cache's renting, partitioning and least-recently-used eviction, on real generators.</summary>
public sealed class PrefixCacheTests
{
    [Fact]
    public async Task Rent_takes_the_longest_shared_prefix_in_the_same_partition()
    {
        using OnnxModel model = await TestModels.LoadAsync(await TestModels.LlamaAsync());
        using var cache = new PrefixCache(long.MaxValue);
        cache.Return(Filled(model, [1, 2, 3, 4]), "a");
        cache.Return(Filled(model, [1, 2, 9]), "a");
        cache.Return(Filled(model, [1, 2, 3, 4, 5, 6]), "b");

        using Generator? best = cache.Rent([1, 2, 3, 4, 5, 6, 7], "a", 1, out int shared);
        Assert.NotNull(best);
        Assert.Equal(4, shared);
        Assert.Equal([1, 2, 3, 4], best!.GetSequence(0).ToArray());
        Assert.Equal(2, cache.Count);
        Assert.Null(cache.Rent([7, 7], "a", 1, out _));
        Assert.Null(cache.Rent([1, 2], "a", int.MaxValue, out _));
    }

    [Fact]
    public async Task Budget_evicts_the_least_recently_returned_generator()
    {
        using OnnxModel model = await TestModels.LoadAsync(await TestModels.LlamaAsync());
        Generator first = Filled(model, [5, 6, 7]);
        long size = first.RetainedBytes;
        Assert.True(size > 0);
        using var cache = new PrefixCache((2 * size) + (size / 2));
        cache.Return(first, string.Empty);
        cache.Return(Filled(model, [8, 9]), string.Empty);
        cache.Return(Filled(model, [10, 11]), string.Empty);

        Assert.Equal(2, cache.Count);
        Assert.Equal(2 * size, cache.RetainedBytes);
        Assert.Null(cache.Rent([5, 6, 7], string.Empty, 1, out _));
        using Generator? kept = cache.Rent([10, 11, 12], string.Empty, 1, out int shared);
        Assert.Equal(2, shared);
    }

    [Fact]
    public async Task A_generator_larger_than_the_budget_is_disposed_not_kept()
    {
        using OnnxModel model = await TestModels.LoadAsync(await TestModels.LlamaAsync());
        using var cache = new PrefixCache(16);
        Generator generator = Filled(model, [1, 2, 3]);
        cache.Return(generator, string.Empty);
        Assert.Equal(0, cache.Count);
        Assert.Throws<ObjectDisposedException>(() => generator.AppendTokens([4]));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Rewinding_for_append_then_appending_equals_a_fresh_prefill(bool share)
    {
        using OnnxModel model = await TestModels.LoadAsync(await TestModels.LlamaAsync());
        int[] earlier = [3, 14, 15, 92, 65, 35, 89, 79, 32, 38];
        int[] later = [3, 14, 15, 92, 65, 35, 8, 9, 7, 9, 3, 2, 3];
        using Generator reused = Greedy(model, share);
        reused.AppendTokens(earlier);
        for (int i = 0; i < 5; i++)
        {
            reused.GenerateNextToken();
        }

        int kept = reused.RewindForAppend(later.AsSpan().CommonPrefixLength(reused.GetSequence(0)));
        Assert.Equal(6, kept);
        reused.AppendTokens(later.AsSpan(kept));

        using Generator fresh = Greedy(model, share);
        fresh.AppendTokens(later);
        Assert.Equal(fresh.GetLogits(0).ToArray(), reused.GetLogits(0).ToArray());
        for (int i = 0; i < 10; i++)
        {
            reused.GenerateNextToken();
            fresh.GenerateNextToken();
        }

        Assert.Equal(fresh.GetSequence(0).ToArray(), reused.GetSequence(0).ToArray());
    }

    private static Generator Greedy(OnnxModel model, bool share)
    {
        var options = new GeneratorOptions { MaxLength = 64, PastPresentShareBuffer = share, Sampling = model.DefaultSamplingOptions };
        options.Sampling.DoSample = false;
        options.EosTokenIds.Add(model.VocabularySize - 1);
        return model.CreateGenerator(options);
    }

    private static Generator Filled(OnnxModel model, int[] tokens)
    {
        Generator generator = model.CreateGenerator(new GeneratorOptions { MaxLength = 32 });
        generator.AppendTokens(tokens);
        return generator;
    }
}
