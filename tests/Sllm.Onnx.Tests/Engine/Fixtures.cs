using Sllm.Testing;

namespace Sllm.Onnx.Engine;

/// <summary>Loads the ONNX Runtime GenAI test models from ../shared/fixtures, on the CPU whatever provider their config names.</summary>
internal static class Fixtures
{
    public static string Gpt2Fp32 => SharedData.PathOf("fixtures", "ort-genai", "hf-internal-testing", "tiny-random-gpt2-fp32");

    public static string Gpt2Fp16 => SharedData.PathOf("fixtures", "ort-genai", "hf-internal-testing", "tiny-random-gpt2-fp16-cuda");

    public static string Qwen35 => SharedData.PathOf("fixtures", "ort-genai", "hf-internal-testing", "tiny-qwen35-cuda");

    public static string Lfm2 => SharedData.PathOf("fixtures", "ort-genai", "hf-internal-testing", "tiny-random-lfm2-fp32");

    public static Task<OnnxModel> LoadAsync(string path)
    {
        var options = new OnnxModelOptions { RequireTokenizer = false };
        options.ExecutionProviders.Add("cpu");
        return OnnxModel.CreateAsync(path, options);
    }

    public static int[] Greedy(OnnxModel model, int[] prompt, int maxLength, bool? share = null)
    {
        using Generator generator = model.CreateGenerator(new GeneratorOptions { MaxLength = maxLength, PastPresentShareBuffer = share });
        generator.AppendTokens(prompt);
        while (!generator.IsDone)
        {
            generator.GenerateNextToken();
        }

        return generator.GetSequence(0).ToArray();
    }
}
