namespace Sllm.Testing.ChatClientContract;

/// <summary>
/// What a chat client under test promises beyond the core <c>IChatClient</c> contract; read by
/// <see cref="ChatClientContractTests"/>.
/// </summary>
/// <remarks>
/// The defaults describe the full contract, so a new client is held to all of it until its test class turns a flag off;
/// each fact that needs a flag that is off is reported as skipped with the flag's name, never silently passed.
/// Immutable; safe to share.
/// </remarks>
public sealed record ChatClientContractCapabilities
{
    /// <summary>
    /// Gets the provider name that <c>ChatClientMetadata.ProviderName</c> must equal, or null to require only a
    /// non-empty name.
    /// </summary>
    public string? ExpectedProviderName { get; init; }

    /// <summary>
    /// Gets the model id that responses, updates and <c>ChatClientMetadata.DefaultModelId</c> must report, or null to
    /// require only a non-empty id.
    /// </summary>
    public string? ExpectedModelId { get; init; }

    /// <summary>
    /// Gets whether the deterministic options (<see cref="ChatClientContractTests.CreateDeterministicOptions"/>) give the
    /// same text every time. The streaming-equals-non-streaming, stop-sequence and concurrency facts depend on it.
    /// </summary>
    public bool Deterministic { get; init; } = true;

    /// <summary>Gets whether <c>ChatOptions.StopSequences</c> is honoured, including across token boundaries.</summary>
    public bool SupportsStopSequences { get; init; } = true;

    /// <summary>Gets whether sampling with the same <c>ChatOptions.Seed</c> repeats its answer.</summary>
    public bool SupportsSeed { get; init; } = true;

    /// <summary>
    /// Gets whether a response cut by <c>ChatOptions.MaxOutputTokens</c> reports exactly that many output tokens and
    /// <c>ChatFinishReason.Length</c>. Off for middleware that rewrites output; the bound itself is always checked.
    /// </summary>
    public bool MaxOutputTokensHonouredExactly { get; init; } = true;

    /// <summary>Gets whether streaming yields text as it is generated (more than one text update per answer).</summary>
    public bool StreamsIncrementally { get; init; } = true;

    /// <summary>
    /// Gets whether a <c>ChatOptions.ModelId</c> naming another model is rejected with an exception that names it.
    /// </summary>
    public bool RejectsUnknownModelId { get; init; } = true;

    /// <summary>Gets whether calls after <c>Dispose</c> throw <see cref="ObjectDisposedException"/>.</summary>
    public bool ThrowsAfterDispose { get; init; } = true;
}
