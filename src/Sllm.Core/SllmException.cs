namespace Sllm;

/// <summary>The base type of the failures the Sllm engine reports: bad model files, bad templates, engine errors.</summary>
/// <remarks>
/// Expected outcomes (a guardrail verdict, an evaluation score) are returned as results, never thrown. Argument mistakes
/// raise the <see cref="ArgumentException"/> family instead. Catch this type to handle every engine failure at once, or a
/// derived type for one kind.
/// </remarks>
public class SllmException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="SllmException"/> class.</summary>
    public SllmException()
        : this(SllmErrorKind.Unknown, "An Sllm operation failed.", path: null, innerException: null)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="SllmException"/> class with a message.</summary>
    /// <param name="message">The message that describes the failure.</param>
    public SllmException(string message)
        : this(SllmErrorKind.Unknown, message, path: null, innerException: null)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="SllmException"/> class with a message and a cause.</summary>
    /// <param name="message">The message that describes the failure.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public SllmException(string message, Exception? innerException)
        : this(SllmErrorKind.Unknown, message, path: null, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="SllmException"/> class.</summary>
    /// <param name="kind">What failed.</param>
    /// <param name="message">The message that describes the failure.</param>
    /// <param name="path">The file or folder involved, when there is one.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public SllmException(SllmErrorKind kind, string message, string? path, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        Path = path;
    }

    /// <summary>Gets what failed.</summary>
    public SllmErrorKind Kind { get; }

    /// <summary>Gets the file or folder involved in the failure, or <see langword="null"/> when none is.</summary>
    public string? Path { get; }
}
