namespace Sllm.Tokenization.PreTokenizers;

/// <summary>What a splitting pre-tokenizer does with the delimiters it finds.</summary>
internal enum SplitBehavior
{
    Removed,
    Isolated,
    MergedWithPrevious,
    MergedWithNext,
    Contiguous,
}
