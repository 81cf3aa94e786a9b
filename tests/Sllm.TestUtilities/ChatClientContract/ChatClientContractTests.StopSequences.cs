using Microsoft.Extensions.AI;
using Xunit;

namespace Sllm.Testing.ChatClientContract;

// Stop sequences, checked against the client's own deterministic answer so that no model-specific text is assumed.
public abstract partial class ChatClientContractTests
{
    /// <summary>
    /// A stop sequence taken from the middle of the greedy answer cuts the answer just before its first occurrence,
    /// leaves it out of the text and finishes with Stop, in both APIs.
    /// </summary>
    [ContractFact]
    public async Task GetResponseAsync_StopSequenceInsideAnswer_CutsJustBeforeIt()
    {
        Require(Capabilities.SupportsStopSequences, nameof(Capabilities.SupportsStopSequences));
        Require(Capabilities.Deterministic, nameof(Capabilities.Deterministic));
        string answer = (await GetResponseAsync(LongAnswerPrompt, CreateDeterministicOptions())).Text;
        string stop = PickStopSequence(answer);
        string expected = answer[..answer.IndexOf(stop, StringComparison.Ordinal)];
        ChatOptions Stopping()
        {
            ChatOptions options = CreateDeterministicOptions();
            options.StopSequences = [stop];
            return options;
        }

        ChatResponse response = await GetResponseAsync(LongAnswerPrompt, Stopping());
        List<ChatResponseUpdate> updates = await GetStreamingUpdatesAsync(LongAnswerPrompt, Stopping());

        ChatClientContractAssert.WellFormedResponse(response, DeterministicMaxOutputTokens(), Capabilities);
        ChatClientContractAssert.StoppedAt(response.Text, response.FinishReason, expected, stop);
        ChatClientContractAssert.WellFormedStream(updates, DeterministicMaxOutputTokens(), Capabilities);
        ChatResponse combined = updates.ToChatResponse();
        ChatClientContractAssert.StoppedAt(
            string.Concat(updates.Select(u => u.Text)), combined.FinishReason, expected, stop);
    }

    /// <summary>
    /// With two stop sequences, the one that occurs first in the answer wins, whatever its place in the list.
    /// </summary>
    [ContractFact]
    public async Task GetResponseAsync_SeveralStopSequences_CutAtTheEarliest()
    {
        Require(Capabilities.SupportsStopSequences, nameof(Capabilities.SupportsStopSequences));
        Require(Capabilities.Deterministic, nameof(Capabilities.Deterministic));
        string answer = (await GetResponseAsync(LongAnswerPrompt, CreateDeterministicOptions())).Text;
        string earlier = PickStopSequence(answer);
        int earlierAt = answer.IndexOf(earlier, StringComparison.Ordinal);
        string later = PickStopSequence(answer, earlierAt + earlier.Length);
        ChatOptions options = CreateDeterministicOptions();
        options.StopSequences = [later, earlier];

        ChatResponse response = await GetResponseAsync(LongAnswerPrompt, options);

        ChatClientContractAssert.StoppedAt(response.Text, response.FinishReason, answer[..earlierAt], earlier);
    }
}
