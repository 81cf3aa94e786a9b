using Microsoft.Extensions.AI;
using Sllm.Generation;

namespace Sllm.Onnx;

/// <summary>One request's speculative decoder and the provider it owns.</summary>
internal sealed class SpeculationSession(SpeculativeDecoder decoder, IDraftProvider provider) : IDisposable
{
    public int Step(CancellationToken cancellationToken) => decoder.Step(cancellationToken);

    /// <summary>Adds the <c>speculative.*</c> counts to a response's usage.</summary>
    public void Report(UsageDetails usage)
    {
        SpeculationStats stats = decoder.Stats;
        usage.AdditionalCounts ??= [];
        usage.AdditionalCounts["speculative.drafted_tokens"] = stats.DraftedTokens;
        usage.AdditionalCounts["speculative.accepted_tokens"] = stats.AcceptedTokens;
        usage.AdditionalCounts["speculative.verification_passes"] = stats.VerificationPasses;
        usage.AdditionalCounts["speculative.plain_steps"] = stats.PlainSteps;
        usage.AdditionalCounts["speculative.cooldowns"] = stats.Cooldowns;
    }

    public void Dispose() => (provider as IDisposable)?.Dispose();
}
