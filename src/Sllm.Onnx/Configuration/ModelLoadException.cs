namespace Sllm.Onnx;

/// <summary>A model folder or its configuration is missing, malformed or unsupported.</summary>
/// <remarks>
/// <see cref="SllmException.Kind"/> is always <see cref="SllmErrorKind.InvalidModel"/>; <see cref="SllmException.Path"/>
/// names the file (or folder) and <see cref="JsonPath"/> the offending JSON location when there is one.
/// </remarks>
public sealed class ModelLoadException : SllmException
{
    /// <summary>Initializes a new instance of the <see cref="ModelLoadException"/> class.</summary>
    public ModelLoadException()
        : this("The model could not be loaded.", path: null, jsonPath: null, innerException: null)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ModelLoadException"/> class with a message.</summary>
    /// <param name="message">The message that describes the failure.</param>
    public ModelLoadException(string message)
        : this(message, path: null, jsonPath: null, innerException: null)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ModelLoadException"/> class with a message and a cause.</summary>
    /// <param name="message">The message that describes the failure.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public ModelLoadException(string message, Exception? innerException)
        : this(message, path: null, jsonPath: null, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ModelLoadException"/> class.</summary>
    /// <param name="message">The message that describes the failure.</param>
    /// <param name="path">The file or folder involved, when there is one.</param>
    /// <param name="jsonPath">The JSON location involved (e.g. <c>$.model.context_length</c>), when there is one.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public ModelLoadException(string message, string? path, string? jsonPath, Exception? innerException = null)
        : base(SllmErrorKind.InvalidModel, message, path, innerException)
    {
        JsonPath = jsonPath;
    }

    /// <summary>Creates an exception of a specific kind, such as <see cref="SllmErrorKind.ExecutionProviderUnavailable"/>.</summary>
    /// <param name="kind">What failed.</param>
    /// <param name="message">A message naming the file and field.</param>
    /// <param name="path">The file or folder.</param>
    /// <param name="jsonPath">The JSON path of the field in <c>genai_config.json</c>, if the failure is about one.</param>
    /// <param name="innerException">The cause, if any.</param>
    internal ModelLoadException(SllmErrorKind kind, string message, string? path, string? jsonPath, Exception? innerException)
        : base(kind, message, path, innerException)
    {
        JsonPath = jsonPath;
    }

    /// <summary>Gets the JSON location involved (e.g. <c>$.model.context_length</c>), or null when none is.</summary>
    public string? JsonPath { get; }
}
