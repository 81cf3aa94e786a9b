using Microsoft.Extensions.AI;
using Xunit;

namespace Sllm.Testing.ChatClientContract;

// Cancellation, concurrency and disposal: what happens around a request rather than inside it.
public abstract partial class ChatClientContractTests
{
    /// <summary>An already-cancelled token cancels the request, and the client serves the next one normally.</summary>
    [ContractFact]
    public async Task GetResponseAsync_CancelledToken_ThrowsAndClientStillWorks()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => GetResponseAsync(LongAnswerPrompt, CreateDeterministicOptions(), cancelled.Token));

        ChatResponse response = await GetResponseAsync(LongAnswerPrompt, CreateDeterministicOptions());
        ChatClientContractAssert.WellFormedResponse(response, DeterministicMaxOutputTokens(), Capabilities);
    }

    /// <summary>
    /// An already-cancelled token cancels the stream before any update, and the client serves the next one normally.
    /// </summary>
    [ContractFact]
    public async Task GetStreamingResponseAsync_CancelledToken_ThrowsAndClientStillWorks()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        int yielded = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (ChatResponseUpdate update in Client.GetStreamingResponseAsync(
                CreateMessages(LongAnswerPrompt), CreateDeterministicOptions(), cancelled.Token))
            {
                yielded++;
            }
        });

        Assert.True(yielded == 0, $"The stream yielded {yielded} update(s) for an already-cancelled token.");
        List<ChatResponseUpdate> updates = await GetStreamingUpdatesAsync(LongAnswerPrompt, CreateDeterministicOptions());
        ChatClientContractAssert.WellFormedStream(updates, DeterministicMaxOutputTokens(), Capabilities);
    }

    /// <summary>
    /// Cancelling after the first update ends the stream with <see cref="OperationCanceledException"/> at the next
    /// token (at most one more update), and the client then serves a normal request.
    /// </summary>
    [ContractFact]
    public async Task GetStreamingResponseAsync_CancelledAfterFirstUpdate_ThrowsPromptlyAndClientStillWorks()
    {
        using var cancellation = new CancellationTokenSource();
        int afterCancel = 0;
        bool cancelled = false;

        Exception? error = await Record.ExceptionAsync(async () =>
        {
            await foreach (ChatResponseUpdate update in Client.GetStreamingResponseAsync(
                CreateMessages(LongAnswerPrompt),
                CreateDeterministicOptions(CancellationMaxOutputTokens),
                cancellation.Token))
            {
                if (cancelled)
                {
                    afterCancel++;
                }
                else
                {
                    await cancellation.CancelAsync();
                    cancelled = true;
                }
            }
        });

        Assert.True(cancelled, "The stream yielded no update to cancel after.");
        Assert.True(
            error is OperationCanceledException,
            $"Cancelling mid-stream ended the stream with {error?.GetType().Name ?? "normal completion"}, not " +
            "OperationCanceledException.");

        // One update may already have been produced when the token was cancelled; a client that keeps generating
        // does not observe cancellation between tokens.
        Assert.True(afterCancel <= 1, $"The stream yielded {afterCancel} updates after cancellation.");

        ChatResponse response = await GetResponseAsync(LongAnswerPrompt, CreateDeterministicOptions());
        ChatClientContractAssert.WellFormedResponse(response, DeterministicMaxOutputTokens(), Capabilities);
        List<ChatResponseUpdate> updates = await GetStreamingUpdatesAsync(LongAnswerPrompt, CreateDeterministicOptions());
        ChatClientContractAssert.WellFormedStream(updates, DeterministicMaxOutputTokens(), Capabilities);
    }

    /// <summary>
    /// <see cref="ConcurrencyLevel"/> requests with different prompts sent at once to one client each get the answer
    /// they get alone, with distinct response ids.
    /// </summary>
    [ContractFact]
    public async Task GetResponseAsync_ConcurrentRequests_EqualSequentialResults()
    {
        Require(Capabilities.Deterministic, nameof(Capabilities.Deterministic));
        var sequential = new List<ChatResponse>();
        for (int i = 0; i < ConcurrencyLevel; i++)
        {
            sequential.Add(await GetResponseAsync(CreateConcurrencyPrompt(i), CreateDeterministicOptions()));
        }

        // Task.Run so that a client which runs synchronously until its first await still overlaps its requests.
        ChatResponse[] concurrent = await Task.WhenAll(Enumerable.Range(0, ConcurrencyLevel).Select(
            i => Task.Run(() => GetResponseAsync(CreateConcurrencyPrompt(i), CreateDeterministicOptions()))));

        for (int i = 0; i < ConcurrencyLevel; i++)
        {
            ChatClientContractAssert.WellFormedResponse(concurrent[i], DeterministicMaxOutputTokens(), Capabilities);
            Assert.Equal(sequential[i].Text, concurrent[i].Text);
            Assert.Equal(sequential[i].FinishReason, concurrent[i].FinishReason);
            Assert.Equal(sequential[i].Usage?.InputTokenCount, concurrent[i].Usage?.InputTokenCount);
            Assert.Equal(sequential[i].Usage?.OutputTokenCount, concurrent[i].Usage?.OutputTokenCount);
        }

        ChatClientContractAssert.DistinctResponseIds(concurrent.Select(r => r.ResponseId));
    }

    /// <summary>
    /// <see cref="ConcurrencyLevel"/> streams with different prompts read at once from one client each carry the
    /// answer the non-streaming API gives alone, without updates leaking between them.
    /// </summary>
    [ContractFact]
    public async Task GetStreamingResponseAsync_ConcurrentRequests_EqualSequentialResults()
    {
        Require(Capabilities.Deterministic, nameof(Capabilities.Deterministic));
        var sequential = new List<ChatResponse>();
        for (int i = 0; i < ConcurrencyLevel; i++)
        {
            sequential.Add(await GetResponseAsync(CreateConcurrencyPrompt(i), CreateDeterministicOptions()));
        }

        List<ChatResponseUpdate>[] concurrent = await Task.WhenAll(Enumerable.Range(0, ConcurrencyLevel).Select(
            i => Task.Run(() => GetStreamingUpdatesAsync(CreateConcurrencyPrompt(i), CreateDeterministicOptions()))));

        for (int i = 0; i < ConcurrencyLevel; i++)
        {
            ChatClientContractAssert.WellFormedStream(concurrent[i], DeterministicMaxOutputTokens(), Capabilities);
            Assert.Equal(sequential[i].Text, string.Concat(concurrent[i].Select(u => u.Text)));
        }

        ChatClientContractAssert.DistinctResponseIds(concurrent.Select(u => u[0].ResponseId));
    }

    /// <summary>Both APIs throw <see cref="ObjectDisposedException"/> once the client is disposed.</summary>
    [ContractFact]
    public async Task Dispose_ThenRequests_ThrowObjectDisposedException()
    {
        Require(Capabilities.ThrowsAfterDispose, nameof(Capabilities.ThrowsAfterDispose));

        Client.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(
            () => GetResponseAsync(LongAnswerPrompt, CreateDeterministicOptions()));
        await Assert.ThrowsAsync<ObjectDisposedException>(
            () => GetStreamingUpdatesAsync(LongAnswerPrompt, CreateDeterministicOptions()));
    }

    /// <summary>Disposing twice is harmless, as <see cref="IDisposable"/> requires.</summary>
    [ContractFact]
    public void Dispose_Twice_DoesNotThrow()
    {
        Client.Dispose();

        Exception? error = Record.Exception(Client.Dispose);

        Assert.Null(error);
    }
}
