using System.Text.Json;
using Sllm.Generation;
using Sllm.Onnx;

namespace Sllm.Cli.Commands;

/// <summary>The <c>--prompt-lookup</c> and <c>--draft MODEL_DIR</c> side of <c>sllm generate</c>: runs a single sequence with
/// speculative decoding and reports the acceptance counts.</summary>
internal static class GenerateSpeculation
{
    /// <summary>Runs the generator to the end, speculatively when asked; returns the counts, or <see langword="null"/> for plain decoding.</summary>
    public static SpeculationStats? Run(OnnxModel model, Generator generator, bool promptLookup, OnnxModel? draftModel, CancellationToken cancellationToken)
    {
        if (!promptLookup && draftModel is null)
        {
            while (!generator.IsDone)
            {
                generator.GenerateNextToken(cancellationToken);
            }

            return null;
        }

        IDraftProvider provider = draftModel is null
            ? new PromptLookupDraftProvider()
            : new DraftModelProvider(draftModel, model, generator.MaxLength);
        try
        {
            var decoder = new SpeculativeDecoder(generator, provider, new SpeculativeDecodingOptions());
            while (!generator.IsDone)
            {
                decoder.Step(cancellationToken);
            }

            return decoder.Stats;
        }
        finally
        {
            (provider as IDisposable)?.Dispose();
        }
    }

    public static void Write(Utf8JsonWriter writer, SpeculationStats? stats)
    {
        if (stats is not { } s)
        {
            return;
        }

        writer.WriteStartObject("speculative");
        writer.WriteNumber("drafted_tokens", s.DraftedTokens);
        writer.WriteNumber("accepted_tokens", s.AcceptedTokens);
        writer.WriteNumber("verification_passes", s.VerificationPasses);
        writer.WriteNumber("plain_steps", s.PlainSteps);
        writer.WriteNumber("acceptance_rate", Math.Round(s.AcceptanceRate, 4));
        writer.WriteEndObject();
    }
}
