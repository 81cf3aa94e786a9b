using System.Collections.ObjectModel;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Sllm.Onnx;

/// <summary>Typed reads of JSON values with ORT GenAI's rules, failing with the file and JSON path.</summary>
internal sealed class GenAIJsonReader
{
    private readonly string? path;
    private readonly ILogger logger;

    internal GenAIJsonReader(string? path, ILogger logger)
    {
        this.path = path;
        this.logger = logger;
    }

    internal string FileName => path ?? "<inline genai_config.json>";

    internal ModelLoadException Fail(string jsonPath, string problem, Exception? inner = null) =>
        new($"{FileName}: {jsonPath} {problem}", path, jsonPath, inner);

    internal void Unknown(string jsonPath) => GenAIConfigLog.UnknownKey(logger, jsonPath, FileName);

    internal void Unsupported(string jsonPath) => GenAIConfigLog.UnsupportedKey(logger, jsonPath, FileName);

    internal void Loaded(string modelType, int contextLength) => GenAIConfigLog.Loaded(logger, FileName, modelType, contextLength);

    /// <summary>ORT GenAI reads every number as a double and requires integral values within int32 (<c>SafeDoubleToInt</c>).</summary>
    internal int Int(JsonElement value, string at)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out double d))
        {
            throw Fail(at, $"must be an integer, not {Describe(value)}.");
        }

        if (d != Math.Floor(d) || d < int.MinValue || d > int.MaxValue)
        {
            throw Fail(at, $"must be an integer within 32 bits, not {value.GetRawText()}.");
        }

        return (int)d;
    }

    internal double Double(JsonElement value, string at) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out double d) && double.IsFinite(d)
            ? d
            : throw Fail(at, $"must be a number, not {Describe(value)}.");

    internal bool Bool(JsonElement value, string at) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw Fail(at, $"must be true or false, not {Describe(value)}."),
    };

    internal string String(JsonElement value, string at) =>
        value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw Fail(at, $"must be a string, not {Describe(value)}.");

    internal JsonElement Object(JsonElement value, string at) =>
        value.ValueKind == JsonValueKind.Object ? value : throw Fail(at, $"must be an object, not {Describe(value)}.");

    internal JsonElement Array(JsonElement value, string at) =>
        value.ValueKind == JsonValueKind.Array ? value : throw Fail(at, $"must be an array, not {Describe(value)}.");

    /// <summary>An int or an array of ints, as <c>eos_token_id</c> allows.</summary>
    internal IReadOnlyList<int> IntOrIntList(JsonElement value, string at)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            return [Int(value, at)];
        }

        var ids = new List<int>(value.GetArrayLength());
        int i = 0;
        foreach (JsonElement item in value.EnumerateArray())
        {
            ids.Add(Int(item, $"{at}[{i++}]"));
        }

        return ids.AsReadOnly();
    }

    internal IReadOnlyList<string> StringList(JsonElement value, string at)
    {
        var items = new List<string>(Array(value, at).GetArrayLength());
        int i = 0;
        foreach (JsonElement item in value.EnumerateArray())
        {
            items.Add(String(item, $"{at}[{i++}]"));
        }

        return items.AsReadOnly();
    }

    /// <summary>
    /// A flat object of free-form settings (<c>run_options</c>, provider options). ORT GenAI passes them as strings, so
    /// numbers and booleans keep their JSON text; nested objects and arrays are not settings and are skipped.
    /// </summary>
    internal IReadOnlyDictionary<string, string> StringMap(JsonElement value, string at)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (JsonProperty p in Object(value, at).EnumerateObject())
        {
            if (TryScalarText(p.Value, out string? text))
            {
                map[p.Name] = text;
            }
            else
            {
                Unsupported(Child(at, p.Name));
            }
        }

        return new ReadOnlyDictionary<string, string>(map);
    }

    internal static bool TryScalarText(JsonElement value, out string text)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                text = value.GetString()!;
                return true;
            case JsonValueKind.Number:
                text = value.GetRawText();
                return true;
            case JsonValueKind.True:
            case JsonValueKind.False:
                text = value.ValueKind == JsonValueKind.True ? "true" : "false";
                return true;
            default:
                text = string.Empty;
                return false;
        }
    }

    /// <summary>Builds a JSONPath-style location; keys that are not plain identifiers use bracket notation.</summary>
    internal static string Child(string parent, string key)
    {
        foreach (char c in key)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                return $"{parent}['{key.Replace("'", "\\'", StringComparison.Ordinal)}']";
            }
        }

        return parent + "." + key;
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "the string " + value.GetRawText(),
        JsonValueKind.Number => "the number " + value.GetRawText(),
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.Null => "null",
        _ => value.GetRawText().ToLower(CultureInfo.InvariantCulture),
    };
}
