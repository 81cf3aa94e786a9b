using System.Text;
using Microsoft.Extensions.AI;
using Xunit;

namespace Sllm.Testing.ChatClientContract;

/// <summary>
/// A record of the messages passed to a chat client (the list, each message and each content item), taken before a
/// call, so that the call can be shown to have left the caller's conversation alone.
/// </summary>
/// <remarks>
/// A client must not append its answer to the caller's list or rewrite a message in place (for example while applying
/// a chat template); both are caught. Not thread-safe; take and check it on one thread.
/// </remarks>
public sealed class ChatMessagesSnapshot
{
    private readonly IReadOnlyList<ChatMessage> messages;
    private readonly ChatMessage[] items;
    private readonly AIContent[][] contents;
    private readonly string description;

    private ChatMessagesSnapshot(IReadOnlyList<ChatMessage> messages)
    {
        this.messages = messages;
        items = [.. messages];
        contents = [.. messages.Select(m => m.Contents.ToArray())];
        description = Describe(messages);
    }

    /// <summary>Records <paramref name="messages"/> as they are now.</summary>
    public static ChatMessagesSnapshot Take(IReadOnlyList<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return new ChatMessagesSnapshot(messages);
    }

    /// <summary>Asserts that the list still holds the recorded messages, each with its recorded contents.</summary>
    public void AssertUnchanged()
    {
        Assert.True(
            items.Length == messages.Count,
            $"The client changed the caller's message list from {items.Length} to {messages.Count} messages.");
        for (int i = 0; i < items.Length; i++)
        {
            Assert.True(ReferenceEquals(items[i], messages[i]), $"The client replaced message {i} in the caller's list.");
            Assert.True(
                contents[i].SequenceEqual(messages[i].Contents),
                $"The client replaced or reordered the contents of message {i}.");
        }

        Assert.Equal(description, Describe(messages));
    }

    /// <summary>Renders the messages' roles, ids, author names and text, one line per content item.</summary>
    public static string Describe(IEnumerable<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var text = new StringBuilder();
        int index = 0;
        foreach (ChatMessage message in messages)
        {
            text.Append('[').Append(index++).Append("] ").Append(message.Role.Value)
                .Append(" id=").Append(message.MessageId ?? "null")
                .Append(" author=").Append(message.AuthorName ?? "null")
                .Append(" contents=").Append(message.Contents.Count).Append('\n');
            foreach (AIContent content in message.Contents)
            {
                text.Append("    ").Append(content.GetType().Name);
                if (content is TextContent textContent)
                {
                    text.Append(" \"").Append(textContent.Text).Append('"');
                }

                text.Append('\n');
            }
        }

        return text.ToString();
    }
}
