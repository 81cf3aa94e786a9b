using Microsoft.Extensions.AI;
using Xunit;

namespace Sllm.Testing.ChatClientContract;

// The non-streaming API: response shape, token limits, ids, repeatability, argument handling and model ids.
public abstract partial class ChatClientContractTests
{
    /// <summary>A plain request returns one well-formed assistant message with ids, model, time, finish and usage.</summary>
    [ContractFact]
    public async Task GetResponseAsync_DeterministicOptions_ReturnsOneWellFormedAssistantMessage()
    {
        ChatOptions options = CreateDeterministicOptions();

        ChatResponse response = await GetResponseAsync(LongAnswerPrompt, options);

        ChatClientContractAssert.WellFormedResponse(response, options.MaxOutputTokens, Capabilities);
    }

    /// <summary>A token limit of 1, 2 or 3 on a long answer ends it with Length after exactly that many tokens.</summary>
    [ContractFact]
    public async Task GetResponseAsync_MaxOutputTokensOneToThree_FinishesWithLengthAtThatMany()
    {
        Require(Capabilities.MaxOutputTokensHonouredExactly, nameof(Capabilities.MaxOutputTokensHonouredExactly));
        for (int max = 1; max <= 3; max++)
        {
            ChatResponse response = await GetResponseAsync(LongAnswerPrompt, CreateDeterministicOptions(max));

            ChatClientContractAssert.WellFormedResponse(response, max, Capabilities);
            ChatClientContractAssert.CutByLength(response.FinishReason, response.Usage, max);
        }
    }

    /// <summary>Every response gets its own response id and message id, even for the same request.</summary>
    [ContractFact]
    public async Task GetResponseAsync_TwoCalls_HaveDifferentIds()
    {
        ChatResponse first = await GetResponseAsync(LongAnswerPrompt, CreateDeterministicOptions());
        ChatResponse second = await GetResponseAsync(LongAnswerPrompt, CreateDeterministicOptions());

        ChatClientContractAssert.DistinctResponseIds([first.ResponseId, second.ResponseId]);
        Assert.NotEqual(first.Messages[0].MessageId, second.Messages[0].MessageId);
    }

    /// <summary>Greedy decoding repeats its answer, text and usage alike.</summary>
    [ContractFact]
    public async Task GetResponseAsync_DeterministicOptions_RepeatTheAnswer()
    {
        Require(Capabilities.Deterministic, nameof(Capabilities.Deterministic));

        ChatResponse first = await GetResponseAsync(LongAnswerPrompt, CreateDeterministicOptions());
        ChatResponse second = await GetResponseAsync(LongAnswerPrompt, CreateDeterministicOptions());

        Assert.Equal(first.Text, second.Text);
        Assert.Equal(first.FinishReason, second.FinishReason);
        Assert.Equal(first.Usage?.OutputTokenCount, second.Usage?.OutputTokenCount);
    }

    /// <summary>Sampling with the same seed repeats its answer in both APIs.</summary>
    [ContractFact]
    public async Task GetResponseAsync_SameSeed_RepeatsTheSampledAnswer()
    {
        Require(Capabilities.SupportsSeed, nameof(Capabilities.SupportsSeed));
        ChatOptions Sampling()
        {
            ChatOptions options = CreateDeterministicOptions();
            options.Temperature = 1f;
            options.Seed = 20240611;
            return options;
        }

        ChatResponse first = await GetResponseAsync(LongAnswerPrompt, Sampling());
        ChatResponse second = await GetResponseAsync(LongAnswerPrompt, Sampling());
        List<ChatResponseUpdate> streamed = await GetStreamingUpdatesAsync(LongAnswerPrompt, Sampling());

        Assert.Equal(first.Text, second.Text);
        Assert.Equal(first.Text, string.Concat(streamed.Select(u => u.Text)));
    }

    /// <summary>The caller's options and conversation are the same objects with the same values after the call.</summary>
    [ContractFact]
    public async Task GetResponseAsync_LeavesOptionsAndMessagesUnchanged()
    {
        ChatOptions options = CreateOptionsWorthMutating();
        List<ChatMessage> messages = CreateConversationWorthMutating();
        ChatOptionsSnapshot optionsBefore = ChatOptionsSnapshot.Take(options);
        ChatMessagesSnapshot messagesBefore = ChatMessagesSnapshot.Take(messages);

        ChatResponse response = await Client.GetResponseAsync(messages, options);

        optionsBefore.AssertUnchanged();
        messagesBefore.AssertUnchanged();
        Assert.DoesNotContain(response.Messages[0], messages);
        ChatClientContractAssert.WellFormedResponse(response, options.MaxOutputTokens, Capabilities);
    }

    /// <summary>Null messages are an argument error named after the parameter.</summary>
    [ContractFact]
    public async Task GetResponseAsync_NullMessages_ThrowsArgumentNullException()
    {
        ArgumentNullException error = await Assert.ThrowsAsync<ArgumentNullException>(
            () => Client.GetResponseAsync((IEnumerable<ChatMessage>)null!, CreateDeterministicOptions()));

        Assert.Equal("messages", error.ParamName);
    }

    /// <summary>
    /// A token limit of zero or less is an argument error in both APIs (the SDK's rule for argument mistakes), not an
    /// empty answer.
    /// </summary>
    [ContractFact]
    public async Task GetResponseAsync_NonPositiveMaxOutputTokens_ThrowsArgumentException()
    {
        foreach (int max in new[] { 0, -1 })
        {
            await Assert.ThrowsAnyAsync<ArgumentException>(
                () => GetResponseAsync(LongAnswerPrompt, CreateDeterministicOptions(max)));
            await Assert.ThrowsAnyAsync<ArgumentException>(
                () => GetStreamingUpdatesAsync(LongAnswerPrompt, CreateDeterministicOptions(max)));
        }
    }

    /// <summary>Naming the client's own model in the options is accepted and reported back.</summary>
    [ContractFact]
    public async Task GetResponseAsync_OwnModelId_Succeeds()
    {
        string modelId = await OwnModelIdAsync();
        ChatOptions options = CreateDeterministicOptions();
        options.ModelId = modelId;

        ChatResponse response = await GetResponseAsync(LongAnswerPrompt, options);

        ChatClientContractAssert.WellFormedResponse(response, options.MaxOutputTokens, Capabilities);
        Assert.Equal(modelId, response.ModelId);
    }

    /// <summary>
    /// Naming another model is refused by both APIs with an argument or operation error that names the model, instead
    /// of silently answering with the client's own model.
    /// </summary>
    [ContractFact]
    public async Task GetResponseAsync_OtherModelId_ThrowsNamingIt()
    {
        Require(Capabilities.RejectsUnknownModelId, nameof(Capabilities.RejectsUnknownModelId));
        string otherModelId = await OwnModelIdAsync() + "-not-served-here";
        ChatOptions options = CreateDeterministicOptions();
        options.ModelId = otherModelId;

        Exception? fromResponse = await Record.ExceptionAsync(() => GetResponseAsync(LongAnswerPrompt, options));
        Exception? fromStream = await Record.ExceptionAsync(() => GetStreamingUpdatesAsync(LongAnswerPrompt, options));

        foreach (Exception? error in new[] { fromResponse, fromStream })
        {
            Assert.True(
                error is ArgumentException or InvalidOperationException,
                $"Expected ArgumentException or InvalidOperationException for ModelId '{otherModelId}', got " +
                $"{error?.GetType().Name ?? "no exception"}.");
            Assert.Contains(otherModelId, error!.Message, StringComparison.Ordinal);
        }

        // The refusal must not have broken the client.
        ChatResponse response = await GetResponseAsync(LongAnswerPrompt, CreateDeterministicOptions());
        ChatClientContractAssert.WellFormedResponse(response, DeterministicMaxOutputTokens(), Capabilities);
    }

    private async Task<string> OwnModelIdAsync()
    {
        if (Capabilities.ExpectedModelId is { } expected)
        {
            return expected;
        }

        if (Client.GetService<ChatClientMetadata>()?.DefaultModelId is { Length: > 0 } metadataModelId)
        {
            return metadataModelId;
        }

        ChatResponse response = await GetResponseAsync(LongAnswerPrompt, CreateDeterministicOptions());
        return response.ModelId ?? throw new InvalidOperationException("The client reports no model id.");
    }

    /// <summary>
    /// Creates deterministic options with every collection a client might be tempted to edit in place: stop sequences
    /// (which never occur), additional properties, and the seed and model id when the client supports them.
    /// </summary>
    private ChatOptions CreateOptionsWorthMutating()
    {
        ChatOptions options = CreateDeterministicOptions();
        if (Capabilities.SupportsStopSequences)
        {
            options.StopSequences = ["<<contract: never generated>>", "@@@@ @@@@"];
        }

        if (Capabilities.SupportsSeed)
        {
            options.Seed = 7;
        }

        options.ModelId = Capabilities.ExpectedModelId;
        options.AdditionalProperties = new AdditionalPropertiesDictionary
        {
            ["sllm.contract.marker"] = "kept",
            ["sllm.contract.number"] = 42,
        };
        return options;
    }

    /// <summary>Creates a three-turn conversation (user, assistant, user) ending with the long-answer prompt.</summary>
    private List<ChatMessage> CreateConversationWorthMutating()
    {
        List<ChatMessage> messages =
        [
            new(ChatRole.User, "Hello."),
            new(ChatRole.Assistant, "Hello! How can I help?") { MessageId = "contract-earlier-answer" },
        ];
        messages.AddRange(CreateMessages(LongAnswerPrompt));
        return messages;
    }
}
