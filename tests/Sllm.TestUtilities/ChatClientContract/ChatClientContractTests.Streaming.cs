using Microsoft.Extensions.AI;
using Xunit;

namespace Sllm.Testing.ChatClientContract;

// The streaming API: update shape, token limits, agreement with the non-streaming API, incremental text and ids.
public abstract partial class ChatClientContractTests
{
    /// <summary>
    /// A plain stream has assistant updates sharing one response id and one message id, one usage item and a finish
    /// reason.
    /// </summary>
    [ContractFact]
    public async Task GetStreamingResponseAsync_DeterministicOptions_YieldsWellFormedUpdates()
    {
        ChatOptions options = CreateDeterministicOptions();

        List<ChatResponseUpdate> updates = await GetStreamingUpdatesAsync(LongAnswerPrompt, options);

        ChatClientContractAssert.WellFormedStream(updates, options.MaxOutputTokens, Capabilities);
    }

    /// <summary>A token limit of 1, 2 or 3 on a long answer ends the stream with Length after exactly that many.</summary>
    [ContractFact]
    public async Task GetStreamingResponseAsync_MaxOutputTokensOneToThree_FinishesWithLengthAtThatMany()
    {
        Require(Capabilities.MaxOutputTokensHonouredExactly, nameof(Capabilities.MaxOutputTokensHonouredExactly));
        for (int max = 1; max <= 3; max++)
        {
            List<ChatResponseUpdate> updates =
                await GetStreamingUpdatesAsync(LongAnswerPrompt, CreateDeterministicOptions(max));

            ChatClientContractAssert.WellFormedStream(updates, max, Capabilities);
            ChatResponse combined = updates.ToChatResponse();
            ChatClientContractAssert.CutByLength(combined.FinishReason, combined.Usage, max);
        }
    }

    /// <summary>
    /// With greedy decoding, the stream's text, and the stream combined by <c>ToChatResponseAsync</c>, equal the
    /// non-streaming response: text, usage, finish reason and model.
    /// </summary>
    [ContractFact]
    public async Task GetStreamingResponseAsync_DeterministicOptions_MatchGetResponseAsync()
    {
        Require(Capabilities.Deterministic, nameof(Capabilities.Deterministic));
        ChatOptions options = CreateDeterministicOptions();

        ChatResponse expected = await GetResponseAsync(LongAnswerPrompt, CreateDeterministicOptions());
        List<ChatResponseUpdate> updates = await GetStreamingUpdatesAsync(LongAnswerPrompt, CreateDeterministicOptions());
        ChatResponse combined = await Client
            .GetStreamingResponseAsync(CreateMessages(LongAnswerPrompt), CreateDeterministicOptions())
            .ToChatResponseAsync();

        ChatClientContractAssert.WellFormedStream(updates, options.MaxOutputTokens, Capabilities);
        ChatClientContractAssert.StreamMatchesResponse(updates, combined, expected);
        ChatClientContractAssert.WellFormedResponse(combined, options.MaxOutputTokens, Capabilities);
    }

    /// <summary>A multi-token answer arrives as several text updates, not as one blob at the end.</summary>
    [ContractFact]
    public async Task GetStreamingResponseAsync_MultiTokenAnswer_YieldsTextIncrementally()
    {
        Require(Capabilities.StreamsIncrementally, nameof(Capabilities.StreamsIncrementally));

        List<ChatResponseUpdate> updates = await GetStreamingUpdatesAsync(LongAnswerPrompt, CreateDeterministicOptions());

        ChatClientContractAssert.WellFormedStream(updates, DeterministicMaxOutputTokens(), Capabilities);
        ChatClientContractAssert.StreamsIncrementally(updates);
    }

    /// <summary>Every stream gets its own response id and message id, distinct from the non-streaming API's too.</summary>
    [ContractFact]
    public async Task GetStreamingResponseAsync_TwoCalls_HaveDifferentIds()
    {
        List<ChatResponseUpdate> first = await GetStreamingUpdatesAsync(LongAnswerPrompt, CreateDeterministicOptions());
        List<ChatResponseUpdate> second = await GetStreamingUpdatesAsync(LongAnswerPrompt, CreateDeterministicOptions());
        ChatResponse response = await GetResponseAsync(LongAnswerPrompt, CreateDeterministicOptions());

        ChatClientContractAssert.DistinctResponseIds([first[0].ResponseId, second[0].ResponseId, response.ResponseId]);
        Assert.NotEqual(first[0].MessageId, second[0].MessageId);
    }

    /// <summary>The caller's options and conversation are unchanged after the stream has been read to the end.</summary>
    [ContractFact]
    public async Task GetStreamingResponseAsync_LeavesOptionsAndMessagesUnchanged()
    {
        ChatOptions options = CreateOptionsWorthMutating();
        List<ChatMessage> messages = CreateConversationWorthMutating();
        ChatOptionsSnapshot optionsBefore = ChatOptionsSnapshot.Take(options);
        ChatMessagesSnapshot messagesBefore = ChatMessagesSnapshot.Take(messages);

        var updates = new List<ChatResponseUpdate>();
        await foreach (ChatResponseUpdate update in Client.GetStreamingResponseAsync(messages, options))
        {
            updates.Add(update);
        }

        optionsBefore.AssertUnchanged();
        messagesBefore.AssertUnchanged();
        ChatClientContractAssert.WellFormedStream(updates, options.MaxOutputTokens, Capabilities);
    }

    /// <summary>
    /// Null messages are an argument error named after the parameter, whether thrown by the call or by the first
    /// <c>MoveNextAsync</c>.
    /// </summary>
    [ContractFact]
    public async Task GetStreamingResponseAsync_NullMessages_ThrowsArgumentNullException()
    {
        ArgumentNullException error = await Assert.ThrowsAsync<ArgumentNullException>(async () =>
        {
            await foreach (ChatResponseUpdate update in Client.GetStreamingResponseAsync(
                (IEnumerable<ChatMessage>)null!, CreateDeterministicOptions()))
            {
                Assert.Fail($"The stream yielded \"{update.Text}\" for null messages.");
            }
        });

        Assert.Equal("messages", error.ParamName);
    }
}
