using System.Collections;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sllm.ChatTemplates.Jinja;

/// <summary>Converts inputs into runtime values up front, so templates never reach CLR objects.</summary>
internal static class ValueConverter
{
    private const int MaxDepth = 256;

    public static JinjaValue FromJson(JsonNode? node, int depth = 0)
    {
        if (depth > MaxDepth)
        {
            throw new ArgumentException($"The input nests deeper than {MaxDepth} levels.");
        }

        switch (node)
        {
            case null:
                return JinjaValue.Null;
            case JsonObject obj:
            {
                var dict = new OrderedDictionary<string, JinjaValue>(obj.Count);
                foreach (KeyValuePair<string, JsonNode?> pair in OrderLikeJavaScript(obj))
                {
                    dict[pair.Key] = FromJson(pair.Value, depth + 1);
                }

                return JinjaValue.FromDict(dict);
            }

            case JsonArray array:
            {
                var list = new List<JinjaValue>(array.Count);
                foreach (JsonNode? item in array)
                {
                    list.Add(FromJson(item, depth + 1));
                }

                return JinjaValue.FromList(list);
            }

            default:
                return node.GetValueKind() switch
                {
                    JsonValueKind.String => JinjaValue.FromString(node.GetValue<string>()),
                    JsonValueKind.Number => JinjaValue.FromNumber(double.Parse(node.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture)),
                    JsonValueKind.True => JinjaValue.True,
                    JsonValueKind.False => JinjaValue.False,
                    _ => JinjaValue.Null,
                };
        }
    }

    public static JinjaValue FromElement(JsonElement element, int depth = 0)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return JinjaValue.FromString(element.GetString()!);
            case JsonValueKind.Number:
                return JinjaValue.FromNumber(double.Parse(element.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture));
            case JsonValueKind.True:
                return JinjaValue.True;
            case JsonValueKind.False:
                return JinjaValue.False;
            case JsonValueKind.Object:
                return FromJson(JsonObject.Create(element), depth);
            case JsonValueKind.Array:
                return FromJson(JsonArray.Create(element), depth);
            default:
                return JinjaValue.Null;
        }
    }

    /// <summary>Converts a CLR value: null, strings, booleans, numbers, JSON nodes and elements, dictionaries with string
    /// keys and sequences of those. Anything else is rejected rather than reflected over.</summary>
    public static JinjaValue FromObject(object? value, int depth = 0)
    {
        if (depth > MaxDepth)
        {
            throw new ArgumentException($"The input nests deeper than {MaxDepth} levels.");
        }

        switch (value)
        {
            case null:
                return JinjaValue.Null;
            case string s:
                return JinjaValue.FromString(s);
            case bool b:
                return JinjaValue.FromBool(b);
            case int or long or short or sbyte or byte or ushort or uint:
                return JinjaValue.FromInt(Convert.ToInt64(value, CultureInfo.InvariantCulture));
            case ulong or float or double or decimal:
                return JinjaValue.FromNumber(Convert.ToDouble(value, CultureInfo.InvariantCulture));
            case JsonNode node:
                return FromJson(node, depth);
            case JsonElement element:
                return FromElement(element, depth);
            case IDictionary<string, object?> dict:
            {
                var result = new OrderedDictionary<string, JinjaValue>(dict.Count);
                foreach (KeyValuePair<string, object?> pair in dict)
                {
                    result[pair.Key] = FromObject(pair.Value, depth + 1);
                }

                return JinjaValue.FromDict(result);
            }

            case IReadOnlyDictionary<string, string> stringDict:
            {
                var result = new OrderedDictionary<string, JinjaValue>(stringDict.Count);
                foreach (KeyValuePair<string, string> pair in stringDict)
                {
                    result[pair.Key] = JinjaValue.FromString(pair.Value);
                }

                return JinjaValue.FromDict(result);
            }

            case IEnumerable sequence:
            {
                var list = new List<JinjaValue>();
                foreach (object? item in sequence)
                {
                    list.Add(FromObject(item, depth + 1));
                }

                return JinjaValue.FromList(list);
            }

            default:
                throw new ArgumentException(
                    $"Template variables must be null, strings, booleans, numbers, JSON nodes, dictionaries or sequences; got {value.GetType().Name}.");
        }
    }

    /// <summary>JavaScript's <c>Object.entries</c> order: array-index keys first, ascending, then the rest in insertion order.</summary>
    private static IEnumerable<KeyValuePair<string, JsonNode?>> OrderLikeJavaScript(JsonObject obj)
    {
        bool anyIndex = false;
        foreach (KeyValuePair<string, JsonNode?> pair in obj)
        {
            if (IsArrayIndex(pair.Key))
            {
                anyIndex = true;
                break;
            }
        }

        if (!anyIndex)
        {
            return obj;
        }

        var indexKeys = new List<KeyValuePair<string, JsonNode?>>();
        var others = new List<KeyValuePair<string, JsonNode?>>();
        foreach (KeyValuePair<string, JsonNode?> pair in obj)
        {
            (IsArrayIndex(pair.Key) ? indexKeys : others).Add(pair);
        }

        indexKeys.Sort((a, b) => uint.Parse(a.Key, CultureInfo.InvariantCulture).CompareTo(uint.Parse(b.Key, CultureInfo.InvariantCulture)));
        indexKeys.AddRange(others);
        return indexKeys;
    }

    private static bool IsArrayIndex(string key) =>
        key.Length is > 0 and <= 10 && (key == "0" || key[0] != '0') && key.All(char.IsAsciiDigit) &&
        uint.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out uint n) && n < uint.MaxValue;
}
