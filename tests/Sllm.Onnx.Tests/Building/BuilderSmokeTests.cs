namespace Sllm.Onnx.Building;

public sealed class BuilderSmokeTests
{
    [Theory]
    [InlineData(ModelFamily.Llama, ModelPrecision.Float32, true)]
    [InlineData(ModelFamily.Qwen2, ModelPrecision.Float32, true)]
    [InlineData(ModelFamily.Llama, ModelPrecision.Float32, false)]
    [InlineData(ModelFamily.Qwen2, ModelPrecision.Float16, true)]
    [InlineData(ModelFamily.Qwen2, ModelPrecision.Float16, false)]
    public async Task Smoke(ModelFamily family, ModelPrecision precision, bool fused)
    {
        using var dir = new TempDirectory();
        ModelBuilderOptions options = ModelBuilderOptions.Tiny(family);
        options.Precision = precision;
        options.FuseRotary = fused;
        options.WeightInitScale = 0.5f;
        var sw = System.Diagnostics.Stopwatch.StartNew();
        ModelBuildResult result = await OnnxModelBuilder.BuildAsync(dir.Path, options);
        long buildMs = sw.ElapsedMilliseconds;
        using var decoder = new OrtDecoder(dir.Path);
        var growing = decoder.Greedy([1, 2, 3, 4, 5], 6, sharedBuffer: false);
        var shared = decoder.Greedy([1, 2, 3, 4, 5], 6, sharedBuffer: true);
        Console.WriteLine($"{family} {precision} fused={fused} build={buildMs}ms params={result.ParameterCount} bytes={result.TotalBytes} growing={string.Join(",", growing.Tokens)} shared={string.Join(",", shared.Tokens)}");
        Assert.Equal(growing.Tokens, shared.Tokens);
    }
}
