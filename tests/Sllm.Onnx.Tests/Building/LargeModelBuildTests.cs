using System.Diagnostics;
using Xunit.Abstractions;

namespace Sllm.Onnx.Building;

/// <summary>The Qwen2.5-0.5B-shaped build, timed; kept out of the default run because it writes about 2 GB.</summary>
public sealed class LargeModelBuildTests(ITestOutputHelper output)
{
    [LargeModelFact]
    public async Task Qwen25HalfBShape_Builds_And_Runs()
    {
        foreach (ModelPrecision precision in Enum.GetValues<ModelPrecision>())
        {
            using var dir = new TempDirectory("sllm-qwen-shape");
            ModelBuilderOptions options = ModelBuilderOptions.Qwen25HalfBShape();
            options.Precision = precision;
            var clock = Stopwatch.StartNew();
            ModelBuildResult result = await OnnxModelBuilder.BuildAsync(dir.Path, options);
            TimeSpan build = clock.Elapsed;

            clock.Restart();
            using var decoder = new OrtDecoder(dir.Path);
            TimeSpan load = clock.Elapsed;
            clock.Restart();
            var run = decoder.Greedy(TinyModels.Prompt, newTokens: 4, sharedBuffer: true, maxLength: 64);
            TimeSpan generate = clock.Elapsed;

            output.WriteLine($"{precision}: build {build.TotalSeconds:F1} s, {result.ParameterCount:N0} parameters, {result.TotalBytes:N0} bytes; " +
                $"session load {load.TotalSeconds:F1} s; prefill 5 + 3 decode steps {generate.TotalMilliseconds:F0} ms; tokens {string.Join(",", run.Tokens)}");
            Assert.Equal(494_032_768, result.ParameterCount);
            Assert.Equal(151_936, decoder.Vocab);
        }
    }
}
