using Microsoft.Extensions.AI;

namespace Sllm.ChatTemplates;

/// <summary>What one render passes to the template besides the messages.</summary>
/// <remarks>Not thread-safe to mutate; an instance may be shared by concurrent renders once it is no longer changed.</remarks>
public sealed class ChatTemplateRenderOptions
{
    /// <summary>Gets or sets whether to append the assistant header that prompts the model to answer (<c>add_generation_prompt</c>).</summary>
    /// <value>The default is <see langword="false"/>, as in transformers.</value>
    public bool AddGenerationPrompt { get; set; }

    /// <summary>Gets or sets the tools offered to the model; <see cref="AIFunctionDeclaration"/> entries become
    /// <c>{"type": "function", "function": {"name", "description", "parameters"}}</c> in <c>tools</c>. Other tool kinds are skipped.</summary>
    /// <value>The default is <see langword="null"/>: <c>tools</c> is <c>none</c>.</value>
    public IList<AITool>? Tools { get; set; }

    /// <summary>Gets or sets documents for retrieval-augmented templates (<c>documents</c>), each a dictionary such as
    /// <c>{"title": ..., "text": ...}</c>.</summary>
    /// <value>The default is <see langword="null"/>: <c>documents</c> is <c>none</c>.</value>
    public IList<IDictionary<string, string>>? Documents { get; set; }

    /// <summary>Gets or sets extra template variables (e.g. <c>enable_thinking</c>). Values may be null, strings, booleans,
    /// numbers, <see cref="System.Text.Json.Nodes.JsonNode"/>, <see cref="System.Text.Json.JsonElement"/>, string-keyed
    /// dictionaries or sequences of those. They override the standard variables of the same name.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public IDictionary<string, object?>? AdditionalVariables { get; set; }

    /// <summary>Gets or sets the clock <c>strftime_now</c> reads (its local time).</summary>
    /// <value>The default is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentException"><see cref="TimeProvider"/> is null or a variable has an empty name.</exception>
    public void Validate()
    {
        if (TimeProvider is null)
        {
            throw new ArgumentException("TimeProvider must not be null.", nameof(TimeProvider));
        }

        if (AdditionalVariables is not null)
        {
            foreach (string key in AdditionalVariables.Keys)
            {
                if (string.IsNullOrEmpty(key))
                {
                    throw new ArgumentException("Variable names must not be empty.", nameof(AdditionalVariables));
                }
            }
        }
    }
}
