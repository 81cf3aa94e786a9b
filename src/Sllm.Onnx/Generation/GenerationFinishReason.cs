namespace Sllm.Onnx;

/// <summary>Why a sequence of a <see cref="Generator"/> stopped.</summary>
public enum GenerationFinishReason
{
    /// <summary>The sequence is still generating.</summary>
    None = 0,

    /// <summary>The sequence produced one of the model's end-of-sequence tokens.</summary>
    EndOfSequence,

    /// <summary>The sequence reached the generator's maximum length.</summary>
    MaxLength,
}
