namespace Sllm.Tokenization;

/// <summary>Options for loading a <see cref="HuggingFaceTokenizer"/>.</summary>
/// <remarks>Plain data; not thread-safe while being filled, read once at load time.</remarks>
public sealed class HuggingFaceTokenizerOptions
{
    /// <summary>Gets or sets how many distinct pre-tokens the BPE model caches (0 disables the cache). Default 20,000.</summary>
    public int WordCacheCapacity { get; set; } = 20_000;

    /// <summary>
    /// Gets or sets an override of <c>clean_up_tokenization_spaces</c>; <see langword="null"/> (the default) takes
    /// the value from tokenizer_config.json (true when absent, as transformers does).
    /// </summary>
    public bool? CleanUpTokenizationSpaces { get; set; }
}
