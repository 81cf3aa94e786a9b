namespace Sllm.StructuredOutput;

/// <summary>A JSON schema could not be turned into a decoding constraint: it is malformed or uses an unsupported keyword.</summary>
/// <remarks>The message names the keyword and its JSON pointer in the schema document (and the file, when it came from one).</remarks>
public sealed class JsonSchemaException : SllmException
{
    /// <summary>Initializes a new instance of the <see cref="JsonSchemaException"/> class.</summary>
    public JsonSchemaException()
        : this("The JSON schema is not supported.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="JsonSchemaException"/> class with a message.</summary>
    /// <param name="message">The message that describes the failure.</param>
    public JsonSchemaException(string message)
        : this(message, innerException: null)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="JsonSchemaException"/> class with a message and a cause.</summary>
    /// <param name="message">The message that describes the failure.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public JsonSchemaException(string message, Exception? innerException)
        : this(message, string.Empty, keyword: null, path: null, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="JsonSchemaException"/> class for a schema location.</summary>
    /// <param name="message">The message that describes the failure.</param>
    /// <param name="location">The JSON pointer of the offending schema location (<c>""</c> for the root).</param>
    /// <param name="keyword">The offending keyword, or <see langword="null"/> when the failure is not about one keyword.</param>
    /// <param name="path">The schema file, when there is one.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public JsonSchemaException(string message, string location, string? keyword, string? path = null, Exception? innerException = null)
        : base(SllmErrorKind.InvalidSchema, message, path, innerException)
    {
        Location = location;
        Keyword = keyword;
    }

    /// <summary>Gets the JSON pointer of the offending schema location (<c>""</c> for the root).</summary>
    public string Location { get; }

    /// <summary>Gets the offending keyword, or <see langword="null"/>.</summary>
    public string? Keyword { get; }
}
