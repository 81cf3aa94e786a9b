using Microsoft.ML.Tokenizers;
using Sllm.Tokenization.Json;
using Sllm.Tokenization.Models;
using Sllm.Tokenization.Text;

namespace Sllm.Tokenization;

/// <summary>
/// A tokenizer loaded from a Hugging Face model folder (<c>tokenizer.json</c>, <c>tokenizer_config.json</c>,
/// <c>special_tokens_map.json</c>), with the same ids, tokens and decoded text as transformers.js / <c>tokenizers</c>.
/// </summary>
/// <remarks>
/// Create it with <see cref="CreateAsync(string, HuggingFaceTokenizerOptions?, CancellationToken)"/> or
/// <see cref="Create(string)"/>. The instance is immutable and thread-safe (its BPE word
/// cache is concurrent); a <see cref="StreamingDecoder"/> it creates is not. The base-class encode methods add special
/// tokens (like transformers' <c>encode</c>); use the <c>addSpecialTokens</c> overloads to choose. Token offsets
/// (<see cref="EncodedToken.Offset"/>) are ranges in the original text, computed only by the token-returning methods.
/// </remarks>
public sealed partial class HuggingFaceTokenizer : Tokenizer
{
    private readonly TokenizerDefinition _definition;
    private readonly Vocabulary _vocabulary;
    private readonly AddedTokenSplitter _rawSplitter;
    private readonly AddedTokenSplitter _normalizedSplitter;
    private readonly HuggingFaceAddedToken[] _addedTokens;
    private readonly bool[] _singleWord;
    private readonly HashSet<string> _skipOnDecode;
    private readonly int[] _specialTokenIds;

    // Set when the pipeline is a standard split followed by byte-level BPE: EncodeSection then runs it fused.
    private readonly SplitPatternMatcher? _fastMatcher;
    private readonly BpeModel? _fastBpe;

    private const byte SkipFlag = 1;
    private const byte VerbatimFlag = 2;

    // Per id: skipped with skipSpecialTokens, passed through verbatim by the byte-level decoder.
    private readonly byte[] _decodeFlags;
    private readonly bool _byteLevelDecode;
    private readonly bool _sentencePieceDecode;
    private Decoders.ByteLevelTokenBytes? _tokenBytes;
    private Text.StreamTextCache? _sentencePieceTexts;

    private HuggingFaceTokenizer(TokenizerDefinition definition)
    {
        _definition = definition;
        _vocabulary = definition.Vocabulary;
        _addedTokens = [.. definition.AddedTokens];
        _singleWord = new bool[_addedTokens.Length];
        var raw = new List<(string, int)>();
        var normalized = new List<(string, int)>();
        _skipOnDecode = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < _addedTokens.Length; i++)
        {
            HuggingFaceAddedToken token = _addedTokens[i];
            _singleWord[i] = token.SingleWord;
            if (token.Special)
            {
                _skipOnDecode.Add(token.Content);
            }

            if (token.Normalized && definition.Normalizer is not null)
            {
                normalized.Add((definition.Normalizer.Normalize(token.Content), i));
            }
            else
            {
                raw.Add((token.Content, i));
            }
        }

        foreach (string extra in definition.AdditionalSpecialTokens)
        {
            _skipOnDecode.Add(extra);
        }

        var specialIds = new SortedSet<int>();
        foreach (string token in _skipOnDecode)
        {
            if (_vocabulary.TryGetId(token, out int id))
            {
                specialIds.Add(id);
            }
        }

        _specialTokenIds = [.. specialIds];
        _rawSplitter = new AddedTokenSplitter(raw);
        _normalizedSplitter = new AddedTokenSplitter(normalized);

        if (definition.Model is BpeModel bpe)
        {
            _fastMatcher = definition.PreTokenizer switch
            {
                PreTokenizers.SequencePreTokenizer { Steps: [PreTokenizers.SplitPreTokenizer { IsolatedMatcher: { } m }, PreTokenizers.ByteLevelPreTokenizer { AddPrefixSpace: false, UseRegex: false }] } => m,
                PreTokenizers.ByteLevelPreTokenizer { AddPrefixSpace: false, UseRegex: true } => SplitPatternMatcher.Gpt2,
                _ => null,
            };
            _fastBpe = _fastMatcher is null || bpe.Prefix.Length > 0 || bpe.EndOfWordSuffix is not null ? null : bpe;
            _fastMatcher = _fastBpe is null ? null : _fastMatcher;
        }

        _decodeFlags = BuildDecodeFlags();
        _byteLevelDecode = definition.Decoder is Decoders.ByteLevelDecoder && definition.Model.EndOfWordSuffix is null;
        _sentencePieceDecode = DetectStreamingMode() == StreamingMode.SentencePiece;

        BosToken = SpecialToken("bos_token");
        EosToken = SpecialToken("eos_token");
        PadToken = SpecialToken("pad_token");
        UnkToken = SpecialToken("unk_token") ?? (definition.Model.UnkId >= 0 ? _vocabulary.GetToken(definition.Model.UnkId) : null);
    }

    /// <summary>Gets the number of token ids: one more than the highest id of the vocabulary and the added tokens.</summary>
    public int VocabularySize => _vocabulary.Size;

    /// <summary>Gets the added tokens, in file order.</summary>
    public IReadOnlyList<HuggingFaceAddedToken> AddedTokens => _addedTokens;

    /// <summary>Gets the ids removed by <c>skipSpecialTokens</c> decoding (special added tokens and <c>additional_special_tokens</c>), ascending.</summary>
    public IReadOnlyList<int> SpecialTokenIds => _specialTokenIds;

    /// <summary>Gets a value indicating whether decoding applies the <c>clean_up_tokenization_spaces</c> rewrite.</summary>
    public bool CleanUpTokenizationSpaces => _definition.CleanUpTokenizationSpaces;

    /// <summary>Gets the beginning-of-sequence token (<c>bos_token</c>), or <see langword="null"/>.</summary>
    public string? BosToken { get; }

    /// <summary>Gets the id of <see cref="BosToken"/>, or <see langword="null"/>.</summary>
    public int? BosTokenId => TokenToId(BosToken);

    /// <summary>Gets the end-of-sequence token (<c>eos_token</c>), or <see langword="null"/>.</summary>
    public string? EosToken { get; }

    /// <summary>Gets the id of <see cref="EosToken"/>, or <see langword="null"/>.</summary>
    public int? EosTokenId => TokenToId(EosToken);

    /// <summary>Gets the padding token (<c>pad_token</c>), or <see langword="null"/>.</summary>
    public string? PadToken { get; }

    /// <summary>Gets the id of <see cref="PadToken"/>, or <see langword="null"/>.</summary>
    public int? PadTokenId => TokenToId(PadToken);

    /// <summary>Gets the unknown token (<c>unk_token</c> of the config, else the model's), or <see langword="null"/>.</summary>
    public string? UnkToken { get; }

    /// <summary>Gets the id of <see cref="UnkToken"/>, or <see langword="null"/>.</summary>
    public int? UnkTokenId => TokenToId(UnkToken);

    /// <summary>Returns the id of a token string (vocabulary or added token), or <see langword="null"/>.</summary>
    /// <param name="token">The token text, for example <c>"&lt;|eot_id|&gt;"</c>.</param>
    public int? TokenToId(string? token) => token is not null && _vocabulary.TryGetId(token, out int id) ? id : null;

    /// <summary>Returns the token string of an id, or <see langword="null"/> when no token has it.</summary>
    /// <param name="id">The token id.</param>
    public string? IdToToken(int id) => _vocabulary.GetToken(id);

    /// <summary>Returns the special-token string tokenizer_config.json (or special_tokens_map.json) gives for a key.</summary>
    /// <param name="key">A key such as <c>bos_token</c>, <c>eos_token</c>, <c>unk_token</c>, <c>sep_token</c>, <c>pad_token</c>, <c>cls_token</c> or <c>mask_token</c>.</param>
    /// <returns>The token string, or <see langword="null"/> when the key is absent or null.</returns>
    public string? SpecialToken(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return _definition.ConfigSpecialTokens.TryGetValue(key, out string? value) ? value : null;
    }

    /// <summary>Creates a decoder that turns generated ids into text one id at a time.</summary>
    /// <param name="skipSpecialTokens">Whether special tokens are left out of the text.</param>
    /// <returns>A new decoder; not thread-safe.</returns>
    public StreamingDecoder CreateStreamingDecoder(bool skipSpecialTokens = false) => new(this, skipSpecialTokens);
}
