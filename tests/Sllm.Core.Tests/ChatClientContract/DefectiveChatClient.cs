using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Sllm.ChatClientContract;

/// <summary>
/// Wraps a correct client and breaks one rule of the contract, so that the suite can be shown to catch it.
/// </summary>
/// <remarks>Thread-safe when the inner client is; owns the inner client (disposes it).</remarks>
internal sealed class DefectiveChatClient(IChatClient inner, ChatClientDefect defect) : DelegatingChatClient(inner)
{
    private const string ReusedResponseId = "resp_reused";

    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ChatResponse response = await base.GetResponseAsync(messages, Break(options), cancellationToken);
        if (defect == ChatClientDefect.ReusesResponseId)
        {
            response.ResponseId = ReusedResponseId;
        }

        return response;
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        CancellationToken forwarded =
            defect == ChatClientDefect.IgnoresCancellation ? CancellationToken.None : cancellationToken;
        var held = new List<ChatResponseUpdate>();
        await foreach (ChatResponseUpdate update in base.GetStreamingResponseAsync(messages, Break(options), forwarded))
        {
            switch (defect)
            {
                case ChatClientDefect.ReusesResponseId:
                    update.ResponseId = ReusedResponseId;
                    break;
                case ChatClientDefect.ChangesMessageId:
                    update.MessageId = "msg_" + Guid.NewGuid().ToString("N");
                    break;
                case ChatClientDefect.StreamsOneBlob when update.FinishReason is null:
                    held.Add(update);
                    continue;
                case ChatClientDefect.StreamsOneBlob:
                    yield return new ChatResponseUpdate(ChatRole.Assistant, string.Concat(held.Select(u => u.Text)))
                    {
                        ResponseId = update.ResponseId,
                        MessageId = update.MessageId,
                        ModelId = update.ModelId,
                        CreatedAt = update.CreatedAt,
                    };
                    break;
                case ChatClientDefect.DuplicatesUsage when update.Contents.OfType<UsageContent>().Any():
                    yield return update;
                    break;
            }

            yield return update;
        }
    }

    public override object? GetService(Type serviceType, object? serviceKey = null) =>
        base.GetService(serviceType, defect == ChatClientDefect.IgnoresServiceKey ? null : serviceKey);

    private ChatOptions? Break(ChatOptions? options)
    {
        switch (defect)
        {
            case ChatClientDefect.ReplacesStopSequences when options?.StopSequences is { } stops:
                options.StopSequences = [.. stops];
                return options;
            case ChatClientDefect.IgnoresStopSequences when options is not null:
                ChatOptions clone = options.Clone();
                clone.StopSequences = null;
                return clone;
            default:
                return options;
        }
    }
}
