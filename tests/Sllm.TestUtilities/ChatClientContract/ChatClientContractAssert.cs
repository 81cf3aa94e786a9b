using Microsoft.Extensions.AI;
using Xunit;

namespace Sllm.Testing.ChatClientContract;

/// <summary>
/// The assertions of the <c>IChatClient</c> contract, shared by <see cref="ChatClientContractTests"/> and usable on
/// their own (for example on a hand-made response, to prove that an assertion can fail).
/// </summary>
/// <remarks>
/// Each method throws an xunit assertion exception naming the broken rule; none of them calls a client. Stateless and
/// thread-safe.
/// </remarks>
public static class ChatClientContractAssert
{
    /// <summary>
    /// Asserts what every non-streaming response owes its caller: one assistant message of text with an id, a response
    /// id, the model id, the creation time, a finish reason of Stop or Length and consistent usage within
    /// <paramref name="maxOutputTokens"/>.
    /// </summary>
    public static void WellFormedResponse(
        ChatResponse response,
        int? maxOutputTokens,
        ChatClientContractCapabilities capabilities)
    {
        ArgumentNullException.ThrowIfNull(capabilities);
        Assert.NotNull(response);
        Assert.True(
            response.Messages.Count == 1,
            $"GetResponseAsync must return exactly one message; it returned {response.Messages.Count}.");
        ChatMessage message = response.Messages[0];
        Assert.True(message.Role == ChatRole.Assistant, $"The response message's role is '{message.Role}', not assistant.");
        Assert.NotNull(message.Text);

        // Usage has its own slot; a UsageContent left among the message's contents would be counted twice by callers
        // that merge responses (ToChatResponse moves it for streaming, so a non-streaming client must not leave it).
        Assert.True(
            !message.Contents.OfType<UsageContent>().Any(),
            "The response message carries a UsageContent; usage belongs in ChatResponse.Usage.");
        Assert.False(string.IsNullOrEmpty(response.ResponseId), "ChatResponse.ResponseId is null or empty.");
        Assert.False(string.IsNullOrEmpty(message.MessageId), "The response message's MessageId is null or empty.");
        ModelIdMatches(response.ModelId, capabilities.ExpectedModelId, "ChatResponse.ModelId");
        Assert.True(
            response.CreatedAt is { } created && created != default,
            "ChatResponse.CreatedAt is not set.");
        FinishReasonIsStopOrLength(response.FinishReason, "ChatResponse.FinishReason");
        WellFormedUsage(response.Usage, maxOutputTokens, "ChatResponse.Usage");
        if (capabilities.MaxOutputTokensHonouredExactly && response.FinishReason == ChatFinishReason.Length)
        {
            Assert.True(
                maxOutputTokens is not null && response.Usage!.OutputTokenCount == maxOutputTokens,
                $"FinishReason is Length, but {response.Usage!.OutputTokenCount} output tokens were reported " +
                $"against MaxOutputTokens = {maxOutputTokens?.ToString() ?? "null"}.");
        }
    }

    /// <summary>
    /// Asserts that <paramref name="usage"/> is present with positive input and output counts, output within
    /// <paramref name="maxOutputTokens"/> and a total equal to their sum.
    /// </summary>
    public static void WellFormedUsage(UsageDetails? usage, int? maxOutputTokens, string where)
    {
        Assert.True(usage is not null, $"{where} is missing.");
        Assert.True(
            usage.InputTokenCount > 0,
            $"{where}.InputTokenCount is {Show(usage.InputTokenCount)}; a prompt is at least one token.");
        Assert.True(
            usage.OutputTokenCount > 0,
            $"{where}.OutputTokenCount is {Show(usage.OutputTokenCount)}; the contract prompts always produce output.");
        if (maxOutputTokens is int max)
        {
            Assert.True(
                usage.OutputTokenCount <= max,
                $"{where}.OutputTokenCount is {usage.OutputTokenCount}, over MaxOutputTokens = {max}.");
        }

        Assert.True(
            usage.TotalTokenCount == usage.InputTokenCount + usage.OutputTokenCount,
            $"{where}.TotalTokenCount is {Show(usage.TotalTokenCount)}, not input {usage.InputTokenCount} + " +
            $"output {usage.OutputTokenCount}.");
    }

    /// <summary>Asserts that a finish reason is present and is Stop or Length.</summary>
    public static void FinishReasonIsStopOrLength(ChatFinishReason? finishReason, string where)
    {
        Assert.True(
            finishReason == ChatFinishReason.Stop || finishReason == ChatFinishReason.Length,
            $"{where} is '{finishReason?.Value ?? "null"}'; expected stop or length.");
    }

    /// <summary>
    /// Asserts the shape of one streamed response: assistant (or unset) roles, one response id and one message id on
    /// every update, a consistent model id, a creation time, exactly one <see cref="UsageContent"/> with consistent
    /// counts, and one finish reason of Stop or Length.
    /// </summary>
    public static void WellFormedStream(
        IReadOnlyList<ChatResponseUpdate> updates,
        int? maxOutputTokens,
        ChatClientContractCapabilities capabilities)
    {
        ArgumentNullException.ThrowIfNull(updates);
        ArgumentNullException.ThrowIfNull(capabilities);
        Assert.True(updates.Count > 0, "The stream yielded no updates.");

        string? responseId = updates[0].ResponseId;
        string? messageId = updates[0].MessageId;
        Assert.False(string.IsNullOrEmpty(responseId), "Update 0 has no ResponseId.");
        Assert.False(string.IsNullOrEmpty(messageId), "Update 0 has no MessageId.");
        bool sawAssistant = false;
        bool sawCreatedAt = false;
        string? modelId = null;
        ChatFinishReason? finishReason = null;
        UsageDetails? usage = null;
        int usageCount = 0;
        for (int i = 0; i < updates.Count; i++)
        {
            ChatResponseUpdate update = updates[i];
            Assert.True(
                update.Role is null || update.Role == ChatRole.Assistant,
                $"Update {i} has role '{update.Role}'; a response streams as the assistant.");
            sawAssistant |= update.Role == ChatRole.Assistant;
            Assert.True(
                update.ResponseId == responseId,
                $"Update {i} has ResponseId '{update.ResponseId}', update 0 had '{responseId}'.");

            // ToChatResponse starts a new message whenever the MessageId changes, so a drifting id splits the answer.
            Assert.True(
                update.MessageId == messageId,
                $"Update {i} has MessageId '{update.MessageId}', update 0 had '{messageId}'.");
            if (update.ModelId is not null)
            {
                Assert.True(
                    modelId is null || modelId == update.ModelId,
                    $"Update {i} has ModelId '{update.ModelId}', an earlier update had '{modelId}'.");
                modelId = update.ModelId;
            }

            sawCreatedAt |= update.CreatedAt is { } created && created != default;
            if (update.FinishReason is { } reason)
            {
                Assert.True(
                    finishReason is null || finishReason == reason,
                    $"Update {i} has FinishReason '{reason}', an earlier update had '{finishReason}'.");
                finishReason = reason;
            }

            foreach (UsageContent content in update.Contents.OfType<UsageContent>())
            {
                usageCount++;
                usage = content.Details;
            }
        }

        Assert.True(sawAssistant, "No update has the assistant role.");
        ModelIdMatches(modelId, capabilities.ExpectedModelId, "The updates' ModelId");
        Assert.True(sawCreatedAt, "No update has CreatedAt set.");
        Assert.True(
            usageCount == 1,
            $"The stream carried {usageCount} UsageContent items; exactly one is expected (ToChatResponse adds them up).");
        WellFormedUsage(usage, maxOutputTokens, "The stream's UsageContent");
        FinishReasonIsStopOrLength(finishReason, "The stream's FinishReason");
        if (capabilities.MaxOutputTokensHonouredExactly && finishReason == ChatFinishReason.Length)
        {
            Assert.True(
                maxOutputTokens is not null && usage!.OutputTokenCount == maxOutputTokens,
                $"The stream finished with Length, but {usage!.OutputTokenCount} output tokens were reported against " +
                $"MaxOutputTokens = {maxOutputTokens?.ToString() ?? "null"}.");
        }
    }

    /// <summary>
    /// Asserts that a streamed answer of more than one output token arrived in more than one text update, so that
    /// callers see tokens as they are generated rather than one blob at the end.
    /// </summary>
    public static void StreamsIncrementally(IReadOnlyList<ChatResponseUpdate> updates)
    {
        ArgumentNullException.ThrowIfNull(updates);
        long? outputTokens = updates.SelectMany(u => u.Contents).OfType<UsageContent>()
            .Select(u => u.Details.OutputTokenCount).FirstOrDefault();
        int textUpdates = updates.Count(u => !string.IsNullOrEmpty(u.Text));
        Assert.True(
            outputTokens is null or < 2 || textUpdates >= 2,
            $"{outputTokens} output tokens arrived in {textUpdates} text update(s); a streaming client must yield " +
            "text as it is generated.");
    }

    /// <summary>
    /// Asserts that a stream (as its updates and as combined by <c>ToChatResponseAsync</c>) carries the same text, usage
    /// and finish reason as the non-streaming response to the same request.
    /// </summary>
    public static void StreamMatchesResponse(
        IReadOnlyList<ChatResponseUpdate> updates,
        ChatResponse combined,
        ChatResponse expected)
    {
        ArgumentNullException.ThrowIfNull(updates);
        ArgumentNullException.ThrowIfNull(combined);
        ArgumentNullException.ThrowIfNull(expected);
        Assert.Equal(expected.Text, string.Concat(updates.Select(u => u.Text)));
        Assert.True(
            combined.Messages.Count == 1,
            $"ToChatResponseAsync combined the stream into {combined.Messages.Count} messages; the ids or roles drift.");
        Assert.Equal(expected.Text, combined.Text);
        Assert.Equal(expected.FinishReason, combined.FinishReason);
        Assert.Equal(expected.ModelId, combined.ModelId);
        Assert.NotNull(combined.Usage);
        Assert.NotNull(expected.Usage);
        Assert.Equal(expected.Usage.InputTokenCount, combined.Usage.InputTokenCount);
        Assert.Equal(expected.Usage.OutputTokenCount, combined.Usage.OutputTokenCount);
        Assert.Equal(expected.Usage.TotalTokenCount, combined.Usage.TotalTokenCount);
    }

    /// <summary>Asserts that every response id is non-empty and that no two are equal.</summary>
    public static void DistinctResponseIds(IEnumerable<string?> responseIds)
    {
        ArgumentNullException.ThrowIfNull(responseIds);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string? id in responseIds)
        {
            Assert.False(string.IsNullOrEmpty(id), "A response has no ResponseId.");
            Assert.True(seen.Add(id), $"ResponseId '{id}' was given to two responses.");
        }
    }

    /// <summary>Asserts that a response was cut by the token limit after exactly <paramref name="maxOutputTokens"/>.</summary>
    public static void CutByLength(ChatFinishReason? finishReason, UsageDetails? usage, int maxOutputTokens)
    {
        Assert.True(
            finishReason == ChatFinishReason.Length,
            $"FinishReason is '{finishReason?.Value ?? "null"}' with MaxOutputTokens = {maxOutputTokens} and a prompt " +
            "that needs a longer answer; expected length.");
        Assert.True(
            usage?.OutputTokenCount == maxOutputTokens,
            $"OutputTokenCount is {Show(usage?.OutputTokenCount)} with MaxOutputTokens = {maxOutputTokens}.");
    }

    /// <summary>
    /// Asserts that generation stopped at <paramref name="stopSequence"/>: the text is exactly
    /// <paramref name="expectedText"/> (the answer before the stop sequence's first occurrence), the stop sequence is
    /// not in it, and the finish reason is Stop.
    /// </summary>
    public static void StoppedAt(string text, ChatFinishReason? finishReason, string expectedText, string stopSequence)
    {
        ArgumentNullException.ThrowIfNull(stopSequence);
        Assert.DoesNotContain(stopSequence, text, StringComparison.Ordinal);
        Assert.Equal(expectedText, text);
        Assert.True(
            finishReason == ChatFinishReason.Stop,
            $"FinishReason is '{finishReason?.Value ?? "null"}' after stop sequence \"{stopSequence}\"; expected stop.");
    }

    private static void ModelIdMatches(string? actual, string? expected, string where)
    {
        Assert.False(string.IsNullOrEmpty(actual), $"{where} is not set.");
        if (expected is not null)
        {
            Assert.True(actual == expected, $"{where} is '{actual}'; expected '{expected}'.");
        }
    }

    private static string Show(long? count) => count?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null";
}
