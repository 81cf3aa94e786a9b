namespace Sllm.Onnx.Building;

/// <summary>A model folder could not be written: the output path is unusable, or a file could not be created or written.</summary>
/// <remarks>
/// <see cref="SllmException.Path"/> names the folder or file; <see cref="Exception.InnerException"/> holds the I/O
/// error when there is one. <see cref="SllmException.Kind"/> is <see cref="SllmErrorKind.Unknown"/> (Sllm.Core has no
/// kind for writing models yet). Argument mistakes in <see cref="ModelBuilderOptions"/> raise the
/// <see cref="ArgumentException"/> family instead, and a bad tokenizer folder raises the tokenizer's own exception.
/// </remarks>
public sealed class ModelBuildException : SllmException
{
    /// <summary>Initializes a new instance of the <see cref="ModelBuildException"/> class.</summary>
    public ModelBuildException()
        : this("The model could not be built.", path: null, innerException: null)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ModelBuildException"/> class with a message.</summary>
    /// <param name="message">The message that describes the failure.</param>
    public ModelBuildException(string message)
        : this(message, path: null, innerException: null)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ModelBuildException"/> class with a message and a cause.</summary>
    /// <param name="message">The message that describes the failure.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public ModelBuildException(string message, Exception? innerException)
        : this(message, path: null, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ModelBuildException"/> class.</summary>
    /// <param name="message">The message that describes the failure.</param>
    /// <param name="path">The folder or file involved, when there is one.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public ModelBuildException(string message, string? path, Exception? innerException = null)
        : base(SllmErrorKind.Unknown, message, path, innerException)
    {
    }
}
