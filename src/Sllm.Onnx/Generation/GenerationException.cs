namespace Sllm.Onnx;

/// <summary>A generation could not proceed: the prompt does not fit, the model cannot rewind, or ONNX Runtime failed.</summary>
/// <remarks>
/// <see cref="SllmException.Kind"/> says which (<see cref="SllmErrorKind.PromptTooLong"/>,
/// <see cref="SllmErrorKind.UnsupportedOperation"/>, <see cref="SllmErrorKind.InferenceFailed"/>) and
/// <see cref="SllmException.Path"/> names the model file. The generator that threw keeps its state from before the failing
/// call, so nothing already generated is lost.
/// </remarks>
public sealed class GenerationException : SllmException
{
    /// <summary>Creates an exception with a default message.</summary>
    public GenerationException()
        : this(SllmErrorKind.InferenceFailed, "The generation failed.", path: null)
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What failed.</param>
    public GenerationException(string message)
        : this(SllmErrorKind.InferenceFailed, message, path: null)
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The cause.</param>
    public GenerationException(string message, Exception? innerException)
        : this(SllmErrorKind.InferenceFailed, message, path: null, innerException)
    {
    }

    /// <summary>Creates an exception of a given kind for a model file.</summary>
    /// <param name="kind">What failed.</param>
    /// <param name="message">A message naming the limit or operation.</param>
    /// <param name="path">The model file or folder.</param>
    /// <param name="innerException">The cause, if any.</param>
    public GenerationException(SllmErrorKind kind, string message, string? path, Exception? innerException = null)
        : base(kind, message, path, innerException)
    {
    }
}
