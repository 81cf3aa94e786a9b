namespace Sllm.ChatTemplates.Jinja;

/// <summary>The runtime types of the template language, mirroring @huggingface/jinja's value classes.</summary>
internal enum ValueKind
{
    Undefined,
    Null,
    Boolean,
    Integer,
    Float,
    String,
    Array,
    Tuple,
    Object,
    KeywordArguments,
    Function,
}
