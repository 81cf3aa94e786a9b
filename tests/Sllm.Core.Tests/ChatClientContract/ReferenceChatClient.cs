using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.AI;

namespace Sllm.ChatClientContract;

/// <summary>
/// A deterministic stand-in for a local model, written to the <c>IChatClient</c> contract so that the contract suite
/// has a client to pass against: it answers with the words of the last user message in reverse order, emitted as
/// three-character "tokens".
/// </summary>
/// <remarks>
/// It does what a real local client must do and nothing else: token limits, stop sequences matched across token
/// boundaries (text that could begin a stop sequence is held back until it is known not to), greedy repeatability and
/// seeded sampling (a word shuffle when <see cref="ChatOptions.Temperature"/> is above zero), cancellation between
/// tokens, fresh ids per response, usage, the <see cref="IChatClient.GetService"/> rules and disposal. Thread-safe:
/// requests share nothing but the disposed flag.
/// </remarks>
internal sealed class ReferenceChatClient : IChatClient
{
    public const string ProviderName = "sllm-reference";
    public const string ModelId = "reference-reversed-words";

    private const int TokenLength = 3;
    private const int DefaultMaxOutputTokens = 256;

    private readonly ChatClientMetadata metadata = new(ProviderName, providerUri: null, defaultModelId: ModelId);
    private readonly TimeProvider timeProvider;
    private int disposed;

    public ReferenceChatClient(TimeProvider? timeProvider = null)
    {
        this.timeProvider = timeProvider ?? TimeProvider.System;
    }

    public async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        // Validation happens in the streaming method's synchronous part, before the first await here.
        IAsyncEnumerable<ChatResponseUpdate> updates = GetStreamingResponseAsync(messages, options, cancellationToken);
        return await updates.ToChatResponseAsync(cancellationToken).ConfigureAwait(false);
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        // Everything read from the caller's messages and options is read now, so that argument errors surface at the
        // call and a caller that edits its list while the stream runs changes nothing.
        ArgumentNullException.ThrowIfNull(messages);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        if (options?.ModelId is { } requested && requested != ModelId)
        {
            throw new ArgumentException(
                $"Model '{requested}' is not served by this client; it serves '{ModelId}'.", nameof(options));
        }

        int maxOutputTokens = options?.MaxOutputTokens ?? DefaultMaxOutputTokens;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxOutputTokens, "options.MaxOutputTokens");
        string[] stopSequences = options?.StopSequences?.Where(s => !string.IsNullOrEmpty(s)).ToArray() ?? [];

        long inputTokens = 0;
        string prompt = string.Empty;
        foreach (ChatMessage message in messages)
        {
            // One token for the role marker a chat template would add, then the text's own tokens.
            inputTokens += 1 + CountTokens(message.Text);
            if (message.Role == ChatRole.User)
            {
                prompt = message.Text;
            }
        }

        string answer = Answer(prompt, options);
        return StreamAsync(answer, inputTokens, maxOutputTokens, stopSequences, cancellationToken);
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(ChatClientMetadata) ? metadata
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    public void Dispose() => Volatile.Write(ref disposed, 1);

    private async IAsyncEnumerable<ChatResponseUpdate> StreamAsync(
        string answer,
        long inputTokens,
        int maxOutputTokens,
        string[] stopSequences,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string responseId = "resp_" + Guid.NewGuid().ToString("N");
        string messageId = "msg_" + Guid.NewGuid().ToString("N");
        DateTimeOffset createdAt = timeProvider.GetUtcNow();
        ChatResponseUpdate Update(IList<AIContent> contents) => new(ChatRole.Assistant, contents)
        {
            ResponseId = responseId,
            MessageId = messageId,
            ModelId = ModelId,
            CreatedAt = createdAt,
        };

        var pending = new StringBuilder();
        int position = 0;
        int generated = 0;
        bool stopped = false;
        ChatFinishReason finishReason = ChatFinishReason.Stop;
        while (!stopped)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (position == answer.Length)
            {
                break;
            }

            if (generated == maxOutputTokens)
            {
                finishReason = ChatFinishReason.Length;
                break;
            }

            int length = Math.Min(TokenLength, answer.Length - position);
            if (char.IsHighSurrogate(answer[position + length - 1]) && position + length < answer.Length)
            {
                length++;
            }

            pending.Append(answer, position, length);
            position += length;
            generated++;
            string text = TakeSafeText(pending, stopSequences, out stopped);
            if (text.Length > 0)
            {
                yield return Update([new TextContent(text)]);
            }

            // A real engine returns to the caller between tokens; so does this one, so that concurrent requests
            // interleave and cancellation is observed between tokens.
            await Task.Yield();
        }

        if (!stopped && pending.Length > 0)
        {
            yield return Update([new TextContent(pending.ToString())]);
        }

        var usage = new UsageDetails
        {
            InputTokenCount = inputTokens,
            OutputTokenCount = generated,
            TotalTokenCount = inputTokens + generated,
        };
        ChatResponseUpdate last = Update([new UsageContent(usage)]);
        last.FinishReason = finishReason;
        yield return last;
    }

    /// <summary>
    /// Removes from <paramref name="pending"/> and returns the text that can no longer become part of a stop sequence;
    /// when a stop sequence is complete, returns the text before it and sets <paramref name="stopped"/>.
    /// </summary>
    private static string TakeSafeText(StringBuilder pending, string[] stopSequences, out bool stopped)
    {
        string text = pending.ToString();
        int cut = -1;
        foreach (string stop in stopSequences)
        {
            int at = text.IndexOf(stop, StringComparison.Ordinal);
            if (at >= 0 && (cut < 0 || at < cut))
            {
                cut = at;
            }
        }

        if (cut >= 0)
        {
            stopped = true;
            pending.Clear();
            return text[..cut];
        }

        // Hold back the longest tail that is the start of some stop sequence: the next token may complete it.
        int hold = 0;
        foreach (string stop in stopSequences)
        {
            for (int length = Math.Min(stop.Length - 1, text.Length); length > hold; length--)
            {
                if (text.AsSpan(text.Length - length).SequenceEqual(stop.AsSpan(0, length)))
                {
                    hold = length;
                    break;
                }
            }
        }

        stopped = false;
        pending.Remove(0, text.Length - hold);
        return text[..^hold];
    }

    private static string Answer(string prompt, ChatOptions? options)
    {
        string[] words = prompt.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Array.Reverse(words);
        if (options?.Temperature is > 0f)
        {
            // "Sampling": the seed makes it repeatable, its absence makes it vary.
#pragma warning disable CA5394 // Not security-sensitive: this stands in for a model's token sampling.
            Random random = options.Seed is long seed ? new Random(unchecked((int)seed ^ (int)(seed >> 32))) : Random.Shared;
            random.Shuffle(words);
#pragma warning restore CA5394
        }

        return string.Join(' ', words);
    }

    private static long CountTokens(string text) => (text.Length + TokenLength - 1) / TokenLength;
}
