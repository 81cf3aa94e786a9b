using Sllm.Tokenization;

namespace Sllm.Onnx.Building;

/// <summary>
/// The tokenizer that goes into a built model folder (the embedded demo tokenizer or a caller's files) and the special
/// token ids genai_config.json takes from it.
/// </summary>
/// <remarks>Immutable once loaded.</remarks>
internal sealed class TokenizerFiles
{
    // The files transformers' save_pretrained and ORT GenAI's loaders read; whichever exist are copied.
    private static readonly string[] KnownFiles =
    [
        "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "added_tokens.json", "vocab.json",
        "merges.txt", "tokenizer.model", "chat_template.jinja", "chat_template.json",
    ];

    private const string ResourcePrefix = "Sllm.Onnx.Building.Defaults.";
    private const string ChatMLTurnEnd = "<|im_end|>";

    private readonly string? _directory;
    private readonly Dictionary<string, byte[]> _embedded;

    private TokenizerFiles(string? directory, Dictionary<string, byte[]> embedded, HuggingFaceTokenizer tokenizer)
    {
        _directory = directory;
        _embedded = embedded;
        VocabularySize = tokenizer.VocabularySize;

        // genai_config stops on eos_token and, for ChatML templates, on the turn end, as Qwen2.5-Instruct exports do.
        var eos = new List<int>();
        if (tokenizer.EosTokenId is { } configured)
        {
            eos.Add(configured);
        }

        if (tokenizer.TokenToId(ChatMLTurnEnd) is { } turnEnd && !eos.Contains(turnEnd))
        {
            eos.Add(turnEnd);
        }

        // Like ORT GenAI's builder: pad falls back on the first eos; bos (null in ChatML tokenizers) on pad, as
        // Qwen2.5's config sets bos_token_id to <|endoftext|>, its pad token.
        int pad = tokenizer.PadTokenId ?? (eos.Count > 0 ? eos[0] : 0);
        if (eos.Count == 0)
        {
            eos.Add(pad);
        }

        EosTokenIds = eos;
        PadTokenId = pad;
        BosTokenId = tokenizer.BosTokenId ?? pad;
    }

    public int VocabularySize { get; }

    public int BosTokenId { get; }

    public int PadTokenId { get; }

    public IReadOnlyList<int> EosTokenIds { get; }

    public static async Task<TokenizerFiles> LoadAsync(string? directory, CancellationToken cancellationToken)
    {
        if (directory is not null)
        {
            HuggingFaceTokenizer tokenizer = await HuggingFaceTokenizer.CreateAsync(directory, options: null, cancellationToken).ConfigureAwait(false);
            return new TokenizerFiles(Path.GetFullPath(directory), [], tokenizer);
        }

        var embedded = new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["tokenizer.json"] = ReadResource("tokenizer.json"),
            ["tokenizer_config.json"] = ReadResource("tokenizer_config.json"),
        };
        using var json = new MemoryStream(embedded["tokenizer.json"], writable: false);
        using var config = new MemoryStream(embedded["tokenizer_config.json"], writable: false);
        return new TokenizerFiles(null, embedded, HuggingFaceTokenizer.Create(json, config, specialTokensMapJson: null, options: null));
    }

    /// <summary>Writes the tokenizer files into the model folder; returns the bytes written.</summary>
    public async Task<long> WriteToAsync(string outputDirectory, CancellationToken cancellationToken)
    {
        long bytes = 0;
        if (_directory is null)
        {
            foreach ((string name, byte[] content) in _embedded)
            {
                await File.WriteAllBytesAsync(Path.Combine(outputDirectory, name), content, cancellationToken).ConfigureAwait(false);
                bytes += content.Length;
            }

            return bytes;
        }

        foreach (string name in KnownFiles)
        {
            string source = Path.Combine(_directory, name);
            string target = Path.Combine(outputDirectory, name);
            if (!File.Exists(source))
            {
                continue;
            }

            // Building into the tokenizer's own folder leaves its files where they are.
            if (!string.Equals(Path.GetFullPath(source), Path.GetFullPath(target), StringComparison.Ordinal))
            {
                File.Copy(source, target, overwrite: true);
            }

            bytes += new FileInfo(target).Length;
        }

        return bytes;
    }

    private static byte[] ReadResource(string name)
    {
        using Stream stream = typeof(TokenizerFiles).Assembly.GetManifestResourceStream(ResourcePrefix + name)
            ?? throw new InvalidOperationException($"The embedded resource {ResourcePrefix + name} is missing from Sllm.Onnx.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
