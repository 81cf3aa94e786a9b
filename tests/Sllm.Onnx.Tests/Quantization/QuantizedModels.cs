using Sllm.Onnx.Building;
using Sllm.Onnx.Engine;

namespace Sllm.Onnx.Quantization;

/// <summary>Builds and reads the quantized models the quantization tests share.</summary>
internal static class QuantizedModels
{
    public static ModelBuilderOptions Tiny(ModelFamily family, QuantizationOptions? quantization, long seed = 3, ModelPrecision precision = ModelPrecision.Float32)
    {
        ModelBuilderOptions options = ModelBuilderOptions.Tiny(family);
        options.Seed = seed;
        options.Quantization = quantization;
        options.Precision = precision;

        // Wider noise than the default 0.02 so greedy choices are not near-ties everywhere.
        options.WeightInitScale = 0.08f;
        return options;
    }

    public static Task<string> GetAsync(string key, Func<ModelBuilderOptions> create) => TestModels.GetAsync("quant-" + key, create);

    /// <summary>Returns an initializer's stored bytes, read from the external data file it points at.</summary>
    public static byte[] Bytes(string directory, OnnxFileReader.Initializer initializer)
    {
        using var stream = File.OpenRead(Path.Combine(directory, initializer.External["location"]));
        stream.Position = long.Parse(initializer.External["offset"], System.Globalization.CultureInfo.InvariantCulture);
        var bytes = new byte[int.Parse(initializer.External["length"], System.Globalization.CultureInfo.InvariantCulture)];
        stream.ReadExactly(bytes);
        return bytes;
    }

    public static int[] Greedy(OnnxModel model, int[] prompt, int maxLength)
    {
        Sllm.Generation.SamplingOptions sampling = model.DefaultSamplingOptions;
        sampling.DoSample = false;
        var options = new GeneratorOptions { MaxLength = maxLength, Sampling = sampling };
        options.EosTokenIds.Add(model.VocabularySize - 1);
        using Generator generator = model.CreateGenerator(options);
        generator.AppendTokens(prompt);
        while (!generator.IsDone)
        {
            generator.GenerateNextToken();
        }

        return generator.GetSequence(0).ToArray();
    }
}
