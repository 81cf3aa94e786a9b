namespace Sllm.Onnx.Quantization;

/// <summary>
/// A model folder could not be quantized: it has no <c>.onnx</c> file or nothing to quantize, a weight has an
/// unsupported data type, the model is already quantized, or a file could not be read or written.
/// </summary>
/// <remarks>
/// <see cref="SllmException.Path"/> names the folder or file; the message names the initializer or node involved.
/// <see cref="SllmException.Kind"/> is <see cref="SllmErrorKind.InvalidModel"/>. Option mistakes raise the
/// <see cref="ArgumentException"/> family instead.
/// </remarks>
public sealed class QuantizationException : SllmException
{
    /// <summary>Initializes a new instance of the <see cref="QuantizationException"/> class.</summary>
    public QuantizationException()
        : this("The model could not be quantized.", path: null)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="QuantizationException"/> class with a message.</summary>
    /// <param name="message">The message that describes the failure.</param>
    public QuantizationException(string message)
        : this(message, path: null)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="QuantizationException"/> class with a message and a cause.</summary>
    /// <param name="message">The message that describes the failure.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public QuantizationException(string message, Exception? innerException)
        : this(message, path: null, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="QuantizationException"/> class.</summary>
    /// <param name="message">The message that describes the failure.</param>
    /// <param name="path">The folder or file involved, when there is one.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public QuantizationException(string message, string? path, Exception? innerException = null)
        : base(SllmErrorKind.InvalidModel, message, path, innerException)
    {
    }
}
