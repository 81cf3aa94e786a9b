using Sllm.Generation;
using Xunit;

namespace Sllm.Onnx.Engine;

/// <summary>The steady-state decode step allocates only the one array ONNX Runtime's managed IoBinding makes when the
/// attention mask is rebound (its name as UTF-8); the engine itself allocates nothing per token.</summary>
public sealed class DecodeAllocationTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Decode_steps_with_a_shared_kv_buffer_allocate_only_the_mask_rebinding(bool sample)
    {
        using OnnxModel model = await TestModels.LoadAsync(await TestModels.LlamaAsync());
        SamplingOptions sampling = model.DefaultSamplingOptions;
        sampling.DoSample = sample;
        sampling.TopP = 0.9f;
        sampling.Seed = 3;
        var options = new GeneratorOptions { MaxLength = 200, Sampling = sampling };
        options.EosTokenIds.Add(model.VocabularySize - 1);
        options.LogitsProcessors.Add(new BanToken(model.VocabularySize - 1));

        // The first generation fills the model's shared mask cache for every width; the second is the steady state.
        for (int round = 0; round < 2; round++)
        {
            using Generator generator = model.CreateGenerator(options);
            generator.AppendTokens([5, 17, 42, 99]);
            for (int i = 0; i < 20; i++)
            {
                generator.GenerateNextToken();
            }

            long before = GC.GetAllocatedBytesForCurrentThread();
            int steps = 0;
            while (!generator.IsDone)
            {
                generator.GenerateNextToken();
                steps++;
            }

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (round == 1)
            {
                Assert.True(steps > 100);
                // "attention_mask" + NUL as a byte[]: 15 bytes of data plus the array header, rounded to 40 on 64-bit.
                Assert.True(allocated <= steps * 40, $"{allocated} bytes over {steps} decode steps ({(double)allocated / steps:F1} per token)");
            }
        }
    }

    private sealed class BanToken(int token) : ILogitsProcessor
    {
        public void Process(ReadOnlySpan<int> sequence, int promptLength, Span<float> logits) => logits[token] = float.NegativeInfinity;
    }
}
