namespace Sllm.Onnx.Lora;

/// <summary>An adapter file or checkpoint is malformed, or an adapter does not fit the model it is used with.</summary>
/// <remarks><see cref="SllmException.Kind"/> is <see cref="SllmErrorKind.InvalidModel"/>; <see cref="SllmException.Path"/>
/// names the file (or folder) when there is one, and <see cref="Tensor"/> the offending tensor.</remarks>
public sealed class LoraAdapterException : SllmException
{
    /// <summary>Initializes a new instance of the <see cref="LoraAdapterException"/> class.</summary>
    public LoraAdapterException()
        : this("The adapter is invalid.", path: null, tensor: null)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="LoraAdapterException"/> class with a message.</summary>
    /// <param name="message">The message that describes the failure.</param>
    public LoraAdapterException(string message)
        : this(message, path: null, tensor: null)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="LoraAdapterException"/> class with a message and a cause.</summary>
    /// <param name="message">The message that describes the failure.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public LoraAdapterException(string message, Exception? innerException)
        : this(message, path: null, tensor: null, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="LoraAdapterException"/> class.</summary>
    /// <param name="message">The message that describes the failure.</param>
    /// <param name="path">The adapter file or checkpoint folder, when there is one.</param>
    /// <param name="tensor">The tensor involved, when there is one.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public LoraAdapterException(string message, string? path, string? tensor, Exception? innerException = null)
        : base(SllmErrorKind.InvalidModel, message, path, innerException)
    {
        Tensor = tensor;
    }

    /// <summary>Gets the name of the tensor involved, or <see langword="null"/>.</summary>
    public string? Tensor { get; }
}
