namespace Sllm.Generation;

/// <summary>
/// A hook that rewrites one row of logits before the next token is chosen: constrained decoding, grammar masks,
/// guards that ban tokens.
/// </summary>
/// <remarks>
/// <para><see cref="TokenSampler"/> calls <see cref="Process"/> once per row per step, in the order the processors were
/// given, after its built-in penalties (minimum length, repetition, no-repeat n-gram, frequency and presence) and before
/// min-p, temperature, top-k and top-p. A processor may lower or raise any logit, and bans a token by setting its logit
/// to <see cref="float.NegativeInfinity"/>; if every logit ends up negative infinity or NaN,
/// <see cref="TokenSampler.Sample"/> throws <see cref="InvalidOperationException"/>.</para>
/// <para>The spans are only valid during the call: a processor must not keep them. It runs on the generating thread and
/// sits on the per-token hot path, so it should not allocate. The same instance sees every row of a batch in row order;
/// one that keeps per-sequence state must tell rows apart by the sequence it is given.</para>
/// </remarks>
public interface ILogitsProcessor
{
    /// <summary>Rewrites the logits of one row in place.</summary>
    /// <param name="sequence">The row's tokens so far: the prompt followed by the generated tokens.</param>
    /// <param name="promptLength">How many leading tokens of <paramref name="sequence"/> are the prompt.</param>
    /// <param name="logits">The row's logits, one per vocabulary entry, already penalised.</param>
    void Process(ReadOnlySpan<int> sequence, int promptLength, Span<float> logits);
}
