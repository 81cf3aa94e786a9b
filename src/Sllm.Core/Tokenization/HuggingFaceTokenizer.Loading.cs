using System.Text.Json;
using Sllm.Tokenization.Json;

namespace Sllm.Tokenization;

/// <content>Loading from a folder or from streams.</content>
public sealed partial class HuggingFaceTokenizer
{
    private const string TokenizerFileName = "tokenizer.json";
    private const string ConfigFileName = "tokenizer_config.json";
    private const string SpecialTokensMapFileName = "special_tokens_map.json";

    /// <summary>Loads the tokenizer of a Hugging Face model folder.</summary>
    /// <param name="directory">The folder holding <c>tokenizer.json</c> and (optionally) <c>tokenizer_config.json</c> and <c>special_tokens_map.json</c>.</param>
    /// <param name="options">Loading options, or <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels the file reads.</param>
    /// <returns>The tokenizer.</returns>
    /// <exception cref="TokenizerLoadException">A file is missing, unreadable, malformed or uses an unsupported feature.</exception>
    public static async Task<HuggingFaceTokenizer> CreateAsync(string directory, HuggingFaceTokenizerOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        string tokenizerPath = Path.Combine(directory, TokenizerFileName);
        byte[] tokenizer = await ReadRequiredAsync(tokenizerPath, cancellationToken).ConfigureAwait(false);
        byte[]? config = await ReadOptionalAsync(Path.Combine(directory, ConfigFileName), cancellationToken).ConfigureAwait(false);
        byte[]? map = await ReadOptionalAsync(Path.Combine(directory, SpecialTokensMapFileName), cancellationToken).ConfigureAwait(false);
        using var tokenizerStream = new MemoryStream(tokenizer, writable: false);
        using MemoryStream? configStream = config is null ? null : new MemoryStream(config, writable: false);
        using MemoryStream? mapStream = map is null ? null : new MemoryStream(map, writable: false);
        return Create(tokenizerStream, configStream, mapStream, options, directory);
    }

    /// <summary>Loads the tokenizer of a Hugging Face model folder synchronously, with default options.</summary>
    /// <param name="directory">The folder holding <c>tokenizer.json</c> and (optionally) <c>tokenizer_config.json</c> and <c>special_tokens_map.json</c>.</param>
    /// <returns>The tokenizer.</returns>
    /// <exception cref="TokenizerLoadException">A file is missing, unreadable, malformed or uses an unsupported feature.</exception>
    public static HuggingFaceTokenizer Create(string directory) => Create(directory, options: null);

    /// <summary>Loads the tokenizer of a Hugging Face model folder synchronously.</summary>
    /// <param name="directory">The folder holding <c>tokenizer.json</c> and (optionally) <c>tokenizer_config.json</c> and <c>special_tokens_map.json</c>.</param>
    /// <param name="options">Loading options, or <see langword="null"/> for the defaults.</param>
    /// <returns>The tokenizer.</returns>
    /// <exception cref="TokenizerLoadException">A file is missing, unreadable, malformed or uses an unsupported feature.</exception>
    public static HuggingFaceTokenizer Create(string directory, HuggingFaceTokenizerOptions? options)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        string tokenizerPath = Path.Combine(directory, TokenizerFileName);
        if (!File.Exists(tokenizerPath))
        {
            throw new TokenizerLoadException(tokenizerPath, null, Directory.Exists(directory) ? "file not found" : $"folder '{directory}' not found");
        }

        using Stream tokenizer = OpenRead(tokenizerPath);
        using Stream? config = OpenOptional(Path.Combine(directory, ConfigFileName));
        using Stream? map = OpenOptional(Path.Combine(directory, SpecialTokensMapFileName));
        return Create(tokenizer, config, map, options, directory);
    }

    /// <summary>Loads a tokenizer from streams (tests, embedded resources, archives).</summary>
    /// <param name="tokenizerJson">The content of <c>tokenizer.json</c>.</param>
    /// <param name="tokenizerConfigJson">The content of <c>tokenizer_config.json</c>, or <see langword="null"/>.</param>
    /// <param name="specialTokensMapJson">The content of <c>special_tokens_map.json</c>, or <see langword="null"/>.</param>
    /// <param name="options">Loading options, or <see langword="null"/> for the defaults.</param>
    /// <returns>The tokenizer.</returns>
    /// <remarks>The streams are read to their end and left open.</remarks>
    /// <exception cref="TokenizerLoadException">A document is malformed or uses an unsupported feature.</exception>
    public static HuggingFaceTokenizer Create(Stream tokenizerJson, Stream? tokenizerConfigJson, Stream? specialTokensMapJson, HuggingFaceTokenizerOptions? options)
    {
        ArgumentNullException.ThrowIfNull(tokenizerJson);
        return Create(tokenizerJson, tokenizerConfigJson, specialTokensMapJson, options, directory: null);
    }

    private static HuggingFaceTokenizer Create(Stream tokenizerJson, Stream? config, Stream? map, HuggingFaceTokenizerOptions? options, string? directory)
    {
        string Name(string file) => directory is null ? file : Path.Combine(directory, file);
        string tokenizerFile = Name(TokenizerFileName), configFile = Name(ConfigFileName), mapFile = Name(SpecialTokensMapFileName);
        using JsonDocument tokenizerDoc = TokenizerJsonLoader.Parse(tokenizerJson, tokenizerFile);
        using JsonDocument? configDoc = config is null ? null : TokenizerJsonLoader.Parse(config, configFile);
        using JsonDocument? mapDoc = map is null ? null : TokenizerJsonLoader.Parse(map, mapFile);
        TokenizerDefinition definition = TokenizerJsonLoader.Build(tokenizerDoc, tokenizerFile, configDoc, configFile, mapDoc, mapFile,
            options ?? new HuggingFaceTokenizerOptions());
        return new HuggingFaceTokenizer(definition);
    }

    private static FileStream OpenRead(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new TokenizerLoadException(path, null, $"cannot read the file: {ex.Message}", ex);
        }
    }

    private static FileStream? OpenOptional(string path) => File.Exists(path) ? OpenRead(path) : null;

    private static async Task<byte[]> ReadRequiredAsync(string path, CancellationToken cancellationToken)
    {
        return await ReadOptionalAsync(path, cancellationToken).ConfigureAwait(false)
            ?? throw new TokenizerLoadException(path, null, Directory.Exists(Path.GetDirectoryName(path)) ? "file not found" : "folder not found");
    }

    private static async Task<byte[]?> ReadOptionalAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new TokenizerLoadException(path, null, $"cannot read the file: {ex.Message}", ex);
        }
    }
}
