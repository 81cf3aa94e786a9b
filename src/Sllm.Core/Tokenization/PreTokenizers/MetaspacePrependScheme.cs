namespace Sllm.Tokenization.PreTokenizers;

/// <summary>When Metaspace prepends its replacement character.</summary>
internal enum MetaspacePrependScheme
{
    Always,
    First,
    Never,
}
