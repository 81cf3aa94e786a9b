using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Sllm.Onnx;

/// <summary>
/// The contents of an ONNX Runtime GenAI model folder's <c>genai_config.json</c>: model facts, the decoder's file,
/// session settings and graph I/O names, and the search (generation) defaults, with ORT GenAI's field names and defaults.
/// </summary>
/// <remarks>
/// <para>
/// Differences from ORT GenAI's own loader: an unknown key is logged as a warning naming its JSON path instead of
/// failing the load; keys ORT GenAI knows but Sllm does not use yet (<c>speculative</c>, <c>engine</c>, vision and
/// speech components, <c>sliding_window</c>, ...) are logged as unsupported and ignored; comments and trailing commas
/// are accepted. Wrong types, non-integral or out-of-range integers, a missing <c>model</c>, <c>model.type</c>,
/// <c>model.context_length</c> or <c>model.decoder.filename</c>, and file names outside the model folder raise
/// <see cref="ModelLoadException"/>.
/// </para>
/// <para>Immutable; safe to share between threads.</para>
/// </remarks>
public sealed class GenAIConfig
{
    /// <summary>The file name ORT GenAI model folders use for this configuration.</summary>
    public const string FileName = "genai_config.json";

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    internal GenAIConfig(GenAIModelConfig model, GenAISearchOptions search, string? path)
    {
        Model = model;
        Search = search;
        Path = path;
    }

    /// <summary>Gets the <c>model</c> section.</summary>
    public GenAIModelConfig Model { get; }

    /// <summary>Gets the <c>search</c> section, with defaults for every absent key.</summary>
    public GenAISearchOptions Search { get; }

    /// <summary>Gets the file the configuration was read from, or null when it was parsed from a string without one.</summary>
    public string? Path { get; }

    /// <summary>Reads <c>genai_config.json</c> from a model folder.</summary>
    /// <param name="modelDirectory">The model folder.</param>
    /// <param name="logger">Receives warnings about ignored keys; null discards them.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The configuration.</returns>
    /// <exception cref="ArgumentException"><paramref name="modelDirectory"/> is null or empty.</exception>
    /// <exception cref="ModelLoadException">The folder or file is missing, unreadable or malformed.</exception>
    public static async Task<GenAIConfig> LoadAsync(
        string modelDirectory, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelDirectory);
        string file = System.IO.Path.GetFullPath(System.IO.Path.Combine(modelDirectory, FileName));
        if (!Directory.Exists(modelDirectory))
        {
            throw new ModelLoadException($"The model folder '{modelDirectory}' does not exist.", modelDirectory, jsonPath: null);
        }

        string json;
        try
        {
            json = await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false);
        }
        catch (FileNotFoundException ex)
        {
            throw new ModelLoadException(
                $"{file} is missing: an ONNX Runtime GenAI model folder must contain {FileName}.", file, jsonPath: null, ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ModelLoadException($"{file} could not be read: {ex.Message}", file, jsonPath: null, ex);
        }

        return Parse(json, file, logger);
    }

    /// <summary>Parses the text of a <c>genai_config.json</c>.</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="path">The file it came from, used in messages and <see cref="Path"/>; null for none.</param>
    /// <param name="logger">Receives warnings about ignored keys; null discards them.</param>
    /// <returns>The configuration.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is null.</exception>
    /// <exception cref="ModelLoadException">The text is not valid JSON or not a valid configuration.</exception>
    public static GenAIConfig Parse(string json, string? path = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        var reader = new GenAIJsonReader(path, logger ?? NullLogger.Instance);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException ex)
        {
            string at = ex.Path ?? "$";
            throw reader.Fail(at, $"is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}).", ex);
        }

        using (document)
        {
            return GenAIConfigParser.Parse(document.RootElement, path, reader);
        }
    }
}
