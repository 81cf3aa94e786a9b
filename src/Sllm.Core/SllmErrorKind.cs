namespace Sllm;

/// <summary>Identifies what failed when the Sllm engine raises a <see cref="SllmException"/>.</summary>
public enum SllmErrorKind
{
    /// <summary>The failure is not classified further.</summary>
    Unknown = 0,

    /// <summary>A tokenizer file (<c>tokenizer.json</c>, <c>tokenizer_config.json</c>, ...) is missing, malformed or uses an unsupported feature.</summary>
    InvalidTokenizer,

    /// <summary>A chat template could not be parsed.</summary>
    InvalidTemplate,

    /// <summary>A chat template failed while rendering, including <c>raise_exception</c> and sandbox limits.</summary>
    TemplateRender,

    /// <summary>A model folder or model configuration is missing, malformed or unsupported.</summary>
    InvalidModel,

    /// <summary>The execution provider a model asks for is not available in the loaded ONNX Runtime native library.</summary>
    ExecutionProviderUnavailable,

    /// <summary>A prompt (or a prompt plus the requested output) does not fit the generation's maximum length.</summary>
    PromptTooLong,

    /// <summary>The model cannot do what was asked of its generation state, such as rewinding a model with recurrent state.</summary>
    UnsupportedOperation,

    /// <summary>ONNX Runtime failed while running the model.</summary>
    InferenceFailed,

    /// <summary>A JSON schema for constrained decoding is malformed or uses a keyword constrained decoding does not support.</summary>
    InvalidSchema,
}
