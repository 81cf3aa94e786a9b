using System.Globalization;
using System.Text;
using Microsoft.Extensions.AI;
using Xunit;

namespace Sllm.Testing.ChatClientContract;

/// <summary>
/// A record of a <see cref="ChatOptions"/> instance's values and the identity of its collections, taken before a call,
/// so that the call can be shown to have left the caller's options alone.
/// </summary>
/// <remarks>
/// <see cref="ChatOptions.Clone"/> is not enough on its own: a client that replaces <c>options.StopSequences</c> with an
/// equal new list, or adds and then removes an entry, must still be caught, so the snapshot keeps both a description of
/// the values and the collections' references. Not thread-safe; take and check it on one thread.
/// </remarks>
public sealed class ChatOptionsSnapshot
{
    private readonly ChatOptions options;
    private readonly string description;
    private readonly IList<string>? stopSequences;
    private readonly IList<AITool>? tools;
    private readonly AdditionalPropertiesDictionary? additionalProperties;

    private ChatOptionsSnapshot(ChatOptions options)
    {
        this.options = options;
        description = Describe(options);
        stopSequences = options.StopSequences;
        tools = options.Tools;
        additionalProperties = options.AdditionalProperties;
    }

    /// <summary>Records <paramref name="options"/> as it is now.</summary>
    public static ChatOptionsSnapshot Take(ChatOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new ChatOptionsSnapshot(options);
    }

    /// <summary>Asserts that the options instance still holds the recorded values and collections.</summary>
    public void AssertUnchanged()
    {
        Assert.True(
            ReferenceEquals(stopSequences, options.StopSequences),
            "The client replaced ChatOptions.StopSequences on the caller's options.");
        Assert.True(
            ReferenceEquals(tools, options.Tools),
            "The client replaced ChatOptions.Tools on the caller's options.");
        Assert.True(
            ReferenceEquals(additionalProperties, options.AdditionalProperties),
            "The client replaced ChatOptions.AdditionalProperties on the caller's options.");
        Assert.Equal(description, Describe(options));
    }

    /// <summary>Renders the options' values, one per line, in a fixed order.</summary>
    public static string Describe(ChatOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var text = new StringBuilder();
        Line(text, nameof(options.ConversationId), options.ConversationId);
        Line(text, nameof(options.Instructions), options.Instructions);
        Line(text, nameof(options.Temperature), options.Temperature);
        Line(text, nameof(options.MaxOutputTokens), options.MaxOutputTokens);
        Line(text, nameof(options.TopP), options.TopP);
        Line(text, nameof(options.TopK), options.TopK);
        Line(text, nameof(options.FrequencyPenalty), options.FrequencyPenalty);
        Line(text, nameof(options.PresencePenalty), options.PresencePenalty);
        Line(text, nameof(options.Seed), options.Seed);
        Line(text, nameof(options.ModelId), options.ModelId);
        Line(text, nameof(options.ResponseFormat), options.ResponseFormat);
        Line(text, nameof(options.ToolMode), options.ToolMode);
        Line(text, nameof(options.AllowMultipleToolCalls), options.AllowMultipleToolCalls);
        Line(text, nameof(options.RawRepresentationFactory), options.RawRepresentationFactory);
        Line(
            text,
            nameof(options.StopSequences),
            options.StopSequences is null ? null : "[" + string.Join(", ", options.StopSequences.Select(Quote)) + "]");
        Line(
            text,
            nameof(options.Tools),
            options.Tools is null ? null : "[" + string.Join(", ", options.Tools.Select(t => t.Name)) + "]");
        if (options.AdditionalProperties is null)
        {
            Line(text, nameof(options.AdditionalProperties), null);
        }
        else
        {
            // Sorted so that a client which removes and re-adds an entry (changing enumeration order) still compares equal
            // only when the contents are equal; the reference check above catches a replaced dictionary.
            foreach (KeyValuePair<string, object?> pair in options.AdditionalProperties.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                Line(text, nameof(options.AdditionalProperties) + "[" + Quote(pair.Key) + "]", pair.Value);
            }

            Line(text, nameof(options.AdditionalProperties) + ".Count", options.AdditionalProperties.Count);
        }

        return text.ToString();
    }

    private static void Line(StringBuilder text, string name, object? value)
    {
        string rendered = value switch
        {
            null => "null",
            string s => Quote(s),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture) + " (" + value.GetType().Name + ")",
            _ => value.GetType().Name + " " + value,
        };
        text.Append(name).Append(" = ").Append(rendered).Append('\n');
    }

    private static string Quote(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
