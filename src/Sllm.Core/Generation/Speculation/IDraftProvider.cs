namespace Sllm.Generation;

/// <summary>
/// Proposes tokens for speculative decoding: the engine verifies every proposed token in one forward pass of the target
/// model, keeps the longest agreeing prefix plus one token of its own, and discards the rest.
/// </summary>
/// <remarks>
/// <para>Lifecycle, per request: <see cref="Reset"/> once with the prompt; then, any number of times,
/// <see cref="Propose"/> with the committed sequence followed by <see cref="Accept"/> with the sequence after
/// verification. The engine may also take plain steps between proposals (while speculation is cooling down, or when a
/// proposal was empty), so a stateful provider must re-synchronise from the sequence it is given rather than count calls:
/// the sequence passed to <see cref="Propose"/> is always the truth.</para>
/// <para>Proposals never change the output: greedy decoding gives token-identical output, and sampling keeps its
/// distribution (the engine applies the speculative-sampling acceptance rule). They only change the speed.</para>
/// <para>Called on the generating thread, once per verification round: implementations should not allocate per call.
/// One instance serves one sequence at a time; it is not required to be thread-safe.</para>
/// </remarks>
public interface IDraftProvider
{
    /// <summary>Gets a value indicating whether <see cref="Propose"/> writes the draft distribution of each proposed token
    /// (needed for the exact sampling rule when drafts are themselves sampled); <see langword="false"/> means each
    /// proposal is deterministic (a point mass).</summary>
    bool ProducesDistributions { get; }

    /// <summary>Starts a new request, dropping any state from the previous one.</summary>
    /// <param name="prompt">The prompt tokens.</param>
    void Reset(ReadOnlySpan<int> prompt);

    /// <summary>Proposes up to <c>draft.Length</c> tokens to follow <paramref name="sequence"/>.</summary>
    /// <param name="sequence">The committed tokens: the prompt followed by everything generated so far.</param>
    /// <param name="draft">Receives the proposed tokens; its length is the most the engine will verify now.</param>
    /// <param name="distributions">When <see cref="ProducesDistributions"/> is <see langword="true"/>, receives for
    /// proposed token <c>i</c> its draft distribution at <c>[i * vocabulary, (i + 1) * vocabulary)</c>; otherwise
    /// empty.</param>
    /// <returns>How many tokens were proposed (0 to <c>draft.Length</c>); 0 makes the engine take a plain step.</returns>
    int Propose(ReadOnlySpan<int> sequence, Span<int> draft, Span<float> distributions);

    /// <summary>Reports the outcome of verifying the last proposal.</summary>
    /// <param name="sequence">The committed tokens after verification: the accepted prefix of the proposal plus the
    /// target's own next token (and nothing after an end-of-sequence token).</param>
    /// <param name="acceptedTokens">How many proposed tokens were accepted, from the start of the proposal.</param>
    void Accept(ReadOnlySpan<int> sequence, int acceptedTokens);
}
