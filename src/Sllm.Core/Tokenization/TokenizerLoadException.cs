namespace Sllm.Tokenization;

/// <summary>
/// Raised when a tokenizer folder cannot be loaded: a missing or unreadable file, malformed JSON, a bad field or a
/// component type this loader does not support.
/// </summary>
/// <remarks>
/// The message names the file and, for JSON problems, the JSON path of the offending value, for example
/// <c>tokenizer.json: $.pre_tokenizer.pretokenizers[1].type: unsupported pre-tokenizer 'Foo'</c>.
/// <see cref="SllmException.Kind"/> is always <see cref="SllmErrorKind.InvalidTokenizer"/>.
/// </remarks>
public sealed class TokenizerLoadException : SllmException
{
    /// <summary>Initializes a new instance of the <see cref="TokenizerLoadException"/> class.</summary>
    public TokenizerLoadException()
        : this("The tokenizer could not be loaded.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="TokenizerLoadException"/> class with a message.</summary>
    /// <param name="message">The message that describes the failure.</param>
    public TokenizerLoadException(string message)
        : this(message, innerException: null)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="TokenizerLoadException"/> class with a message and a cause.</summary>
    /// <param name="message">The message that describes the failure.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public TokenizerLoadException(string message, Exception? innerException)
        : base(SllmErrorKind.InvalidTokenizer, message, path: null, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="TokenizerLoadException"/> class for a file and JSON location.</summary>
    /// <param name="path">The file involved (its name starts the message).</param>
    /// <param name="jsonPath">The JSON path of the offending value (for example <c>$.model.type</c>), or <see langword="null"/>.</param>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public TokenizerLoadException(string path, string? jsonPath, string message, Exception? innerException = null)
        : base(SllmErrorKind.InvalidTokenizer, Format(path, jsonPath, message), path, innerException)
    {
        JsonPath = jsonPath;
    }

    /// <summary>Gets the JSON path of the offending value, or <see langword="null"/> when the failure is not about one value.</summary>
    public string? JsonPath { get; }

    private static string Format(string path, string? jsonPath, string message)
    {
        string file = System.IO.Path.GetFileName(path);
        if (file.Length == 0)
        {
            file = path;
        }

        return jsonPath is null ? $"{file}: {message}" : $"{file}: {jsonPath}: {message}";
    }
}
