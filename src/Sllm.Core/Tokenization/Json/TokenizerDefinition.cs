using Sllm.Tokenization.Decoders;
using Sllm.Tokenization.Models;
using Sllm.Tokenization.Normalizers;
using Sllm.Tokenization.PostProcessors;
using Sllm.Tokenization.PreTokenizers;

namespace Sllm.Tokenization.Json;

/// <summary>Everything read from a tokenizer folder, ready for <see cref="HuggingFaceTokenizer"/>.</summary>
internal sealed class TokenizerDefinition
{
    public required Vocabulary Vocabulary { get; init; }

    public required TokenizerModel Model { get; init; }

    public TextNormalizer? Normalizer { get; init; }

    public TextPreTokenizer? PreTokenizer { get; init; }

    public TokenPostProcessor? PostProcessor { get; init; }

    public TokenDecoder? Decoder { get; init; }

    public required IReadOnlyList<HuggingFaceAddedToken> AddedTokens { get; init; }

    /// <summary>Gets the special-token strings of tokenizer_config.json (bos_token, eos_token, ...), by key.</summary>
    public required IReadOnlyDictionary<string, string> ConfigSpecialTokens { get; init; }

    /// <summary>Gets the strings listed in <c>additional_special_tokens</c>.</summary>
    public required IReadOnlyList<string> AdditionalSpecialTokens { get; init; }

    public bool CleanUpTokenizationSpaces { get; init; }

    /// <summary>Gets tokenizer_config.json's <c>remove_space</c>: trim and collapse whitespace before normalizing.</summary>
    public bool RemoveSpace { get; init; }

    /// <summary>Gets tokenizer_config.json's <c>do_lowercase_and_remove_accent</c>.</summary>
    public bool LowercaseAndRemoveAccent { get; init; }
}
