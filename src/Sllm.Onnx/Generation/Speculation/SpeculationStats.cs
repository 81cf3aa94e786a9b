namespace Sllm.Onnx;

/// <summary>Counts of one speculative generation, as reported in usage (<c>speculative.*</c> additional counts).</summary>
/// <param name="DraftedTokens">Tokens proposed and verified.</param>
/// <param name="AcceptedTokens">Proposed tokens the target agreed with.</param>
/// <param name="VerificationPasses">Target passes that verified a draft.</param>
/// <param name="PlainSteps">Ordinary one-token steps (the first token, empty proposals, cool-down).</param>
/// <param name="Cooldowns">How often speculation was switched off for a while because too little was accepted.</param>
public readonly record struct SpeculationStats(long DraftedTokens, long AcceptedTokens, long VerificationPasses, long PlainSteps, long Cooldowns)
{
    /// <summary>Gets the share of proposed tokens that were accepted (0 when nothing was proposed).</summary>
    public double AcceptanceRate => DraftedTokens == 0 ? 0 : (double)AcceptedTokens / DraftedTokens;
}
