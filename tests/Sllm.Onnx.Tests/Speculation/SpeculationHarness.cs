using Sllm.Generation;
using Sllm.Onnx.Building;
using Sllm.Onnx.Engine;

namespace Sllm.Onnx.Speculation;

/// <summary>Runs the same prompt plainly and speculatively on builder models, for token-by-token comparisons.</summary>
internal static class SpeculationHarness
{
    /// <summary>A one-layer draft with other random weights but the target's tokenizer and vocabulary.</summary>
    public static Task<string> SmallDraftAsync() => TestModels.GetAsync("spec-draft", () =>
    {
        ModelBuilderOptions options = ModelBuilderOptions.Tiny();
        options.NumLayers = 1;
        options.Seed = 7;
        return options;
    });

    public static GeneratorOptions Options(OnnxModel model, int maxLength, bool share, float repetitionPenalty = 1, int? eos = null)
    {
        SamplingOptions sampling = model.DefaultSamplingOptions;
        sampling.DoSample = false;
        sampling.RepetitionPenalty = repetitionPenalty;
        var options = new GeneratorOptions { MaxLength = maxLength, PastPresentShareBuffer = share, Sampling = sampling };

        // An id the runs rarely produce, so most runs go to full length; a test that wants EOS passes its own.
        options.EosTokenIds.Add(eos ?? model.VocabularySize - 1);
        return options;
    }

    public static int[] Plain(OnnxModel model, int[] prompt, GeneratorOptions options)
    {
        using Generator generator = model.CreateGenerator(options);
        generator.AppendTokens(prompt);
        while (!generator.IsDone)
        {
            generator.GenerateNextToken();
        }

        return generator.GetSequence(0).ToArray();
    }

    public static int[] Speculative(OnnxModel model, int[] prompt, GeneratorOptions options, IDraftProvider provider, out SpeculationStats stats, SpeculativeDecodingOptions? speculation = null)
    {
        using Generator generator = model.CreateGenerator(options);
        generator.AppendTokens(prompt);
        var decoder = new SpeculativeDecoder(generator, provider, speculation ?? new SpeculativeDecodingOptions { MinAcceptanceRate = 0 });
        while (!generator.IsDone)
        {
            int before = generator.TokenCount;
            int appended = decoder.Step();
            if (generator.TokenCount - before != appended)
            {
                throw new InvalidOperationException($"Step reported {appended} tokens but {generator.TokenCount - before} were appended.");
            }
        }

        stats = decoder.Stats;
        return generator.GetSequence(0).ToArray();
    }

    /// <summary>Deterministic prompts: random ids, and ones built to repeat (where prompt lookup finds matches).</summary>
    public static int[][] Prompts(int count, int vocabulary)
    {
        var random = new Random(1234);
        var prompts = new int[count][];
        for (int i = 0; i < count; i++)
        {
            int length = 4 + random.Next(20);
            int[] prompt = new int[length];
            int period = 2 + (i % 5);
            for (int j = 0; j < length; j++)
            {
                prompt[j] = i % 2 == 0 && j >= period ? prompt[j - period] : random.Next(3, vocabulary - 1);
            }

            prompts[i] = prompt;
        }

        return prompts;
    }
}
