using System.Reflection;
using Microsoft.Extensions.AI;
using Sllm.Testing.ChatClientContract;
using Xunit.Sdk;

namespace Sllm.ChatClientContract;

/// <summary>
/// Proves that the contract suite can fail: each of its facts named here passes over a correct client and fails, for
/// the stated reason, over a client with one defect.
/// </summary>
public sealed class ChatClientContractSelfTests
{
    public static TheoryData<ChatClientDefect, string, string> Defects { get; } = new()
    {
        {
            ChatClientDefect.ReusesResponseId,
            nameof(ChatClientContractTests.GetResponseAsync_TwoCalls_HaveDifferentIds),
            "was given to two responses"
        },
        {
            ChatClientDefect.ReusesResponseId,
            nameof(ChatClientContractTests.GetStreamingResponseAsync_TwoCalls_HaveDifferentIds),
            "was given to two responses"
        },
        {
            ChatClientDefect.DuplicatesUsage,
            nameof(ChatClientContractTests.GetStreamingResponseAsync_DeterministicOptions_YieldsWellFormedUpdates),
            "2 UsageContent items"
        },
        {
            ChatClientDefect.StreamsOneBlob,
            nameof(ChatClientContractTests.GetStreamingResponseAsync_MultiTokenAnswer_YieldsTextIncrementally),
            "arrived in 1 text update(s)"
        },
        {
            ChatClientDefect.ChangesMessageId,
            nameof(ChatClientContractTests.GetStreamingResponseAsync_DeterministicOptions_YieldsWellFormedUpdates),
            "has MessageId"
        },
        {
            ChatClientDefect.ReplacesStopSequences,
            nameof(ChatClientContractTests.GetResponseAsync_LeavesOptionsAndMessagesUnchanged),
            "replaced ChatOptions.StopSequences"
        },
        {
            ChatClientDefect.IgnoresStopSequences,
            nameof(ChatClientContractTests.GetResponseAsync_StopSequenceInsideAnswer_CutsJustBeforeIt),
            "Sub-string found"
        },
        {
            ChatClientDefect.IgnoresCancellation,
            nameof(ChatClientContractTests.GetStreamingResponseAsync_CancelledAfterFirstUpdate_ThrowsPromptlyAndClientStillWorks),
            "normal completion"
        },
        {
            ChatClientDefect.IgnoresServiceKey,
            nameof(ChatClientContractTests.GetService_WithServiceKey_ReturnsNull),
            "Assert.Null() Failure"
        },
    };

    [Theory]
    [MemberData(nameof(Defects))]
    public async Task Fact_OverDefectiveClient_FailsForTheDefect(ChatClientDefect defect, string fact, string reason)
    {
        Assert.Null(await RunFactAsync(ChatClientDefect.None, fact));

        Exception? failure = await RunFactAsync(defect, fact);

        XunitException assertion = Assert.IsAssignableFrom<XunitException>(failure);
        Assert.Contains(reason, assertion.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WellFormedStream_TwoUsageContents_Throws()
    {
        ChatResponseUpdate[] updates =
        [
            Update(new TextContent("Hello")),
            Update(new UsageContent(new UsageDetails { InputTokenCount = 3, OutputTokenCount = 1, TotalTokenCount = 4 })),
            Update(new UsageContent(new UsageDetails { InputTokenCount = 3, OutputTokenCount = 1, TotalTokenCount = 4 })),
        ];
        updates[^1].FinishReason = ChatFinishReason.Stop;

        XunitException failure = Assert.ThrowsAny<XunitException>(
            () => ChatClientContractAssert.WellFormedStream(updates, maxOutputTokens: 12, new ChatClientContractCapabilities()));

        Assert.Contains("2 UsageContent items", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DistinctResponseIds_ReusedId_Throws()
    {
        XunitException failure = Assert.ThrowsAny<XunitException>(
            () => ChatClientContractAssert.DistinctResponseIds(["resp_1", "resp_2", "resp_1"]));

        Assert.Contains("'resp_1' was given to two responses", failure.Message, StringComparison.Ordinal);
    }

    private static ChatResponseUpdate Update(AIContent content) => new(ChatRole.Assistant, [content])
    {
        ResponseId = "resp_1",
        MessageId = "msg_1",
        ModelId = "model",
        CreatedAt = DateTimeOffset.UnixEpoch,
    };

    private static async Task<Exception?> RunFactAsync(ChatClientDefect defect, string fact)
    {
        var suite = new DefectiveClientContractTests(defect);
        await suite.InitializeAsync();
        try
        {
            MethodInfo method = typeof(ChatClientContractTests).GetMethod(fact)!;
            Func<Task> run = method.ReturnType == typeof(void)
                ? () =>
                {
                    method.CreateDelegate<Action>(suite)();
                    return Task.CompletedTask;
                }
                : method.CreateDelegate<Func<Task>>(suite);
            return await Record.ExceptionAsync(run);
        }
        finally
        {
            await suite.DisposeAsync();
        }
    }
}
