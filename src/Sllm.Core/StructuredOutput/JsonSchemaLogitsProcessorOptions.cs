namespace Sllm.StructuredOutput;

/// <summary>Literal text a <see cref="JsonSchemaLogitsProcessor"/> forces around the JSON value.</summary>
/// <remarks>Both literals go through the same token mask as the JSON, so any tokenization that spells them is allowed
/// (added tokens such as <c>&lt;tool_call&gt;</c> included, when the tokenizer does not mark them special).</remarks>
public sealed class JsonSchemaLogitsProcessorOptions
{
    /// <summary>Gets or sets the text forced before the JSON value, for example <c>"&lt;tool_call&gt;\n"</c>.</summary>
    /// <value>The default is empty.</value>
    public string Prefix { get; set; } = string.Empty;

    /// <summary>Gets or sets the text forced after the JSON value, for example <c>"\n&lt;/tool_call&gt;"</c>; only end
    /// tokens are allowed once it is complete.</summary>
    /// <value>The default is empty.</value>
    public string Suffix { get; set; } = string.Empty;

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentNullException"><see cref="Prefix"/> or <see cref="Suffix"/> is <see langword="null"/>.</exception>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Prefix, nameof(Prefix));
        ArgumentNullException.ThrowIfNull(Suffix, nameof(Suffix));
    }
}
