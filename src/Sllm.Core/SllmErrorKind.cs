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
}
