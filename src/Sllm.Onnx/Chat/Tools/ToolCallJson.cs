using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Sllm.Onnx;

/// <summary>Reads the JSON that tool-call formats share: call objects, sequences of them, fenced blocks.</summary>
internal static class ToolCallJson
{
    private const string IdAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private static readonly JsonDocumentOptions DocumentOptions = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    /// <summary>Makes a call id for formats that carry none: nine alphanumerics, the shape Mistral templates insist on.</summary>
    public static string NewCallId() => RandomNumberGenerator.GetString(IdAlphabet, 9);

    /// <summary>Parses one or more JSON values written one after another, separated by whitespace or <paramref name="separator"/>.</summary>
    /// <returns>The values (cloned, independent of any document), or <see langword="null"/> with a reason when the text is not such a sequence.</returns>
    public static List<JsonElement>? ReadValues(string text, char separator, out string? error)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        var values = new List<JsonElement>();
        int offset = 0;
        error = null;
        while (true)
        {
            offset = Skip(bytes, offset, separator);
            if (offset >= bytes.Length)
            {
                break;
            }

            try
            {
                var reader = new Utf8JsonReader(bytes.AsSpan(offset), new JsonReaderOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, AllowMultipleValues = true });
                using JsonDocument document = JsonDocument.ParseValue(ref reader);
                values.Add(document.RootElement.Clone());
                offset += (int)reader.BytesConsumed;
            }
            catch (JsonException ex)
            {
                error = ex.Message;
                return null;
            }
        }

        if (values.Count == 0)
        {
            error = "no JSON";
            return null;
        }

        return values;
    }

    /// <summary>Turns JSON values (call objects, or arrays of them) into calls.</summary>
    /// <param name="values">The values.</param>
    /// <param name="argumentsKeys">The keys that may hold the arguments, in order of preference.</param>
    /// <param name="requireArguments">Whether an object without any of <paramref name="argumentsKeys"/> is not a call.</param>
    /// <param name="calls">Receives the calls.</param>
    /// <param name="error">Why the values are not calls.</param>
    /// <returns>Whether every value was a call.</returns>
    public static bool TryReadCalls(List<JsonElement> values, string[] argumentsKeys, bool requireArguments, List<FunctionCallContent> calls, out string? error)
    {
        int start = calls.Count;
        error = null;
        foreach (JsonElement value in values)
        {
            if (value.ValueKind == JsonValueKind.Array)
            {
                if (value.GetArrayLength() == 0)
                {
                    error = "an empty array of calls";
                }

                foreach (JsonElement item in value.EnumerateArray())
                {
                    if (error is null && !TryReadCall(item, argumentsKeys, requireArguments, calls, out error))
                    {
                        break;
                    }
                }
            }
            else
            {
                TryReadCall(value, argumentsKeys, requireArguments, calls, out error);
            }

            if (error is not null)
            {
                calls.RemoveRange(start, calls.Count - start);
                return false;
            }
        }

        return true;
    }

    /// <summary>Removes a Markdown code fence (<c>```json ... ```</c>) around the text, if there is one.</summary>
    public static string StripFence(string text)
    {
        string trimmed = text.Trim();
        if (!trimmed.StartsWith("```", StringComparison.Ordinal))
        {
            return text;
        }

        int lineEnd = trimmed.IndexOf('\n', StringComparison.Ordinal);
        if (lineEnd < 0 || !trimmed.EndsWith("```", StringComparison.Ordinal) || trimmed.Length < lineEnd + 4)
        {
            return text;
        }

        return trimmed[(lineEnd + 1)..^3];
    }

    private static bool TryReadCall(JsonElement value, string[] argumentsKeys, bool requireArguments, List<FunctionCallContent> calls, out string? error)
    {
        error = null;
        if (value.ValueKind != JsonValueKind.Object)
        {
            error = $"a {value.ValueKind} where a call object was expected";
            return false;
        }

        // OpenAI's shape, which some fine-tunes copy: {"id", "type": "function", "function": {"name", "arguments"}}.
        JsonElement body = value.TryGetProperty("function", out JsonElement function) && function.ValueKind == JsonValueKind.Object ? function : value;
        if (!body.TryGetProperty("name", out JsonElement name) || name.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(name.GetString()))
        {
            error = "a call object without a \"name\" string";
            return false;
        }

        JsonElement arguments = default;
        bool found = false;
        foreach (string key in argumentsKeys)
        {
            if (body.TryGetProperty(key, out arguments))
            {
                found = true;
                break;
            }
        }

        if (!found && requireArguments)
        {
            error = $"a call object without \"{string.Join("\" or \"", argumentsKeys)}\"";
            return false;
        }

        if (!TryReadArguments(found ? arguments : default, out Dictionary<string, object?>? dictionary))
        {
            error = $"the arguments of '{name.GetString()}' are not a JSON object";
            return false;
        }

        string callId = value.TryGetProperty("id", out JsonElement id) && id.ValueKind == JsonValueKind.String && id.GetString() is { Length: > 0 } given
            ? given
            : NewCallId();
        calls.Add(new FunctionCallContent(callId, name.GetString()!, dictionary));
        return true;
    }

    private static bool TryReadArguments(JsonElement arguments, out Dictionary<string, object?>? dictionary)
    {
        dictionary = new Dictionary<string, object?>(StringComparer.Ordinal);
        switch (arguments.ValueKind)
        {
            case JsonValueKind.Undefined or JsonValueKind.Null:
                return true;
            case JsonValueKind.String:
                // Some models write the arguments as a JSON string holding the object, as OpenAI's wire format does.
                string inner = arguments.GetString()!;
                if (string.IsNullOrWhiteSpace(inner))
                {
                    return true;
                }

                try
                {
                    using JsonDocument document = JsonDocument.Parse(inner, DocumentOptions);
                    return TryReadArguments(document.RootElement.Clone(), out dictionary);
                }
                catch (JsonException)
                {
                    return false;
                }

            case JsonValueKind.Object:
                foreach (JsonProperty property in arguments.EnumerateObject())
                {
                    dictionary[property.Name] = property.Value.Clone();
                }

                return true;
            default:
                return false;
        }
    }

    private static int Skip(byte[] bytes, int offset, char separator)
    {
        while (offset < bytes.Length && (bytes[offset] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' || bytes[offset] == separator))
        {
            offset++;
        }

        return offset;
    }
}
