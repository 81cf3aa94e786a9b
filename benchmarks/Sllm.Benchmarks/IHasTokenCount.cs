namespace Sllm.Benchmarks;

/// <summary>Implemented by benchmark classes whose operations decode a known number of tokens.</summary>
/// <remarks>Read by <see cref="TokenRateColumn"/> and <see cref="AllocatedPerTokenColumn"/> on a fresh instance whose
/// parameters are set, so the count must not depend on setup.</remarks>
internal interface IHasTokenCount
{
    /// <summary>Gets the tokens one call of <paramref name="benchmarkMethod"/> decodes, or 0 when it is not a decode rate.</summary>
    int DecodedTokens(string benchmarkMethod);
}
