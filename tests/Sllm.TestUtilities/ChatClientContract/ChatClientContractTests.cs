using Microsoft.Extensions.AI;
using Xunit;

namespace Sllm.Testing.ChatClientContract;

/// <summary>
/// The <c>Microsoft.Extensions.AI</c> <see cref="IChatClient"/> contract as xunit facts: derive from this class in a
/// test project, supply the client through <see cref="CreateClientAsync"/> and describe it through
/// <see cref="Capabilities"/>, and every fact below runs against it.
/// </summary>
/// <remarks>
/// <para>
/// xunit creates one instance per fact and calls <see cref="InitializeAsync"/> first, so each fact gets a fresh client,
/// which it owns: <see cref="DisposeAsync"/> disposes it (a client that wraps a shared, expensive model should share the
/// model, not the client). Facts whose capability is off are reported as skipped with the flag's name.
/// </para>
/// <para>
/// The facts are written for a small real model at about 10-50 ms a request: each sends a handful of requests with at
/// most <see cref="CancellationMaxOutputTokens"/> output tokens. The facts of one class run one at a time (xunit's
/// default), but different derived classes may run in parallel.
/// </para>
/// </remarks>
public abstract partial class ChatClientContractTests : IAsyncLifetime
{
    private IChatClient? client;

    /// <summary>Gets the client under test, created for the running fact.</summary>
    protected IChatClient Client =>
        client ?? throw new InvalidOperationException("The client is created in InitializeAsync, before each fact.");

    /// <summary>Gets what the client promises beyond the core contract; the defaults promise everything.</summary>
    protected virtual ChatClientContractCapabilities Capabilities => new();

    /// <summary>
    /// Gets a prompt whose answer is longer than <see cref="CancellationMaxOutputTokens"/> tokens, so that a token limit
    /// (not the model) ends it, and whose text is not trivially short, so that a stop sequence can be picked from it.
    /// </summary>
    protected virtual string LongAnswerPrompt => "Count from one to forty in English words, separated by commas.";

    /// <summary>Gets how many requests the concurrency facts send at once to the one client.</summary>
    protected virtual int ConcurrencyLevel => 8;

    /// <summary>
    /// Gets the token limit of the mid-stream cancellation fact: long enough that the stream cannot end on its own
    /// between the first update and the cancellation being observed.
    /// </summary>
    protected virtual int CancellationMaxOutputTokens => 32;

    /// <summary>Creates the client under test; called once per fact, before it runs.</summary>
    protected abstract Task<IChatClient> CreateClientAsync();

    /// <summary>
    /// Creates the options of a repeatable request (greedy decoding) with a small token limit; every fact starts from a
    /// fresh instance. <see cref="ChatOptions.MaxOutputTokens"/> must be set.
    /// </summary>
    protected virtual ChatOptions CreateDeterministicOptions() => new() { Temperature = 0f, MaxOutputTokens = 12 };

    /// <summary>
    /// Creates the conversation sent for <paramref name="prompt"/>: a single user message, which every chat template
    /// accepts (some reject a system message).
    /// </summary>
    protected virtual List<ChatMessage> CreateMessages(string prompt) => [new(ChatRole.User, prompt)];

    /// <summary>Creates the <paramref name="index"/>th prompt of the concurrency facts; prompts must differ.</summary>
    protected virtual string CreateConcurrencyPrompt(int index)
    {
        string[] topics = ["colours", "animals", "fruits", "countries", "planets", "vegetables", "rivers", "trees"];
        string prompt = $"List five {topics[index % topics.Length]}, separated by commas.";
        return index < topics.Length ? prompt : $"{prompt} Start with number {index}.";
    }

    /// <inheritdoc/>
    public virtual async Task InitializeAsync()
    {
        client = await CreateClientAsync();
        Assert.NotNull(client);
    }

    /// <inheritdoc/>
    public virtual Task DisposeAsync()
    {
        // Dispose must be idempotent, so disposing a client that a fact already disposed is part of the contract too.
        client?.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Skips the running fact (see <see cref="ContractFactAttribute"/>) unless the capability is on.</summary>
    protected void Require(bool capability, string capabilityName)
    {
        if (!capability)
        {
            throw new ContractSkipException(
                $"{GetType().Name}.Capabilities.{capabilityName} is false, so this part of the contract is not checked.");
        }
    }

    /// <summary>Gets <see cref="ChatOptions.MaxOutputTokens"/> from the deterministic options, which must set it.</summary>
    protected int DeterministicMaxOutputTokens() =>
        CreateDeterministicOptions().MaxOutputTokens
        ?? throw new InvalidOperationException("CreateDeterministicOptions must set MaxOutputTokens.");

    /// <summary>Creates the deterministic options with <see cref="ChatOptions.MaxOutputTokens"/> replaced.</summary>
    protected ChatOptions CreateDeterministicOptions(int maxOutputTokens)
    {
        ChatOptions options = CreateDeterministicOptions();
        options.MaxOutputTokens = maxOutputTokens;
        return options;
    }

    /// <summary>Sends <paramref name="prompt"/> through <see cref="IChatClient.GetResponseAsync"/>.</summary>
    protected Task<ChatResponse> GetResponseAsync(
        string prompt,
        ChatOptions options,
        CancellationToken cancellationToken = default) =>
        Client.GetResponseAsync(CreateMessages(prompt), options, cancellationToken);

    /// <summary>Sends <paramref name="prompt"/> through the streaming API and collects every update.</summary>
    protected async Task<List<ChatResponseUpdate>> GetStreamingUpdatesAsync(
        string prompt,
        ChatOptions options,
        CancellationToken cancellationToken = default)
    {
        var updates = new List<ChatResponseUpdate>();
        await foreach (ChatResponseUpdate update in Client.GetStreamingResponseAsync(
            CreateMessages(prompt), options, cancellationToken))
        {
            updates.Add(update);
        }

        return updates;
    }

    /// <summary>
    /// Picks a stop sequence out of <paramref name="answer"/> whose first occurrence is at or after
    /// <paramref name="from"/> and past the first few characters.
    /// </summary>
    /// <remarks>
    /// Five characters starting a third of the way in: long enough to span two tokens of a real tokenizer most of the
    /// time (so the client must match across token boundaries), and far enough in to leave a non-empty prefix.
    /// Candidates that are only whitespace or would split a surrogate pair are passed over.
    /// </remarks>
    protected static string PickStopSequence(string answer, int from = 0)
    {
        ArgumentNullException.ThrowIfNull(answer);
        for (int start = Math.Max(Math.Max(3, answer.Length / 3), from); start + 2 <= answer.Length; start++)
        {
            string candidate = answer.Substring(start, Math.Min(5, answer.Length - start));
            if (!string.IsNullOrWhiteSpace(candidate)
                && !char.IsLowSurrogate(candidate[0])
                && !char.IsHighSurrogate(candidate[^1])
                && answer.IndexOf(candidate, StringComparison.Ordinal) is int first
                && first > 0
                && first >= from)
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            $"No stop sequence can be picked from the answer \"{answer}\" (from {from}); LongAnswerPrompt must produce " +
            "a longer answer within the deterministic token limit.");
    }
}
