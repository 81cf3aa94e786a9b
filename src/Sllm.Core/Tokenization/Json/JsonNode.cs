using System.Globalization;
using System.Text.Json;

namespace Sllm.Tokenization.Json;

/// <summary>A JSON value with the file and JSON path it came from, so every load error can name both.</summary>
internal readonly struct JsonNode
{
    public JsonNode(JsonElement element, string path, string file)
    {
        Element = element;
        Path = path;
        File = file;
    }

    public JsonElement Element { get; }

    public string Path { get; }

    public string File { get; }

    public JsonValueKind Kind => Element.ValueKind;

    public bool IsNull => Element.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined;

    public TokenizerLoadException Error(string message) => new(File, Path, message);

    public JsonNode? Optional(string name)
    {
        ExpectObject();
        if (Element.TryGetProperty(name, out JsonElement value) && value.ValueKind != JsonValueKind.Null)
        {
            return new JsonNode(value, Path + "." + name, File);
        }

        return null;
    }

    public JsonNode Required(string name)
    {
        ExpectObject();
        if (!Element.TryGetProperty(name, out JsonElement value))
        {
            throw Error($"missing required property '{name}'");
        }

        return new JsonNode(value, Path + "." + name, File);
    }

    public bool Has(string name) => Element.ValueKind == JsonValueKind.Object && Element.TryGetProperty(name, out _);

    public string Type() => Required("type").GetString();

    public string GetString()
    {
        if (Element.ValueKind != JsonValueKind.String)
        {
            throw Error($"expected a string, found {Describe(Element.ValueKind)}");
        }

        return Element.GetString()!;
    }

    public bool GetBoolean()
    {
        return Element.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Error($"expected true or false, found {Describe(Element.ValueKind)}"),
        };
    }

    public int GetInt32()
    {
        if (Element.ValueKind != JsonValueKind.Number || !Element.TryGetInt32(out int value))
        {
            throw Error($"expected a 32-bit integer, found {Describe(Element.ValueKind)}");
        }

        return value;
    }

    public double GetDouble()
    {
        if (Element.ValueKind != JsonValueKind.Number)
        {
            throw Error($"expected a number, found {Describe(Element.ValueKind)}");
        }

        return Element.GetDouble();
    }

    public string? OptionalString(string name) => Optional(name)?.GetString();

    public bool OptionalBoolean(string name, bool fallback) => Optional(name)?.GetBoolean() ?? fallback;

    public int OptionalInt32(string name, int fallback) => Optional(name)?.GetInt32() ?? fallback;

    public int Count
    {
        get
        {
            ExpectArray();
            return Element.GetArrayLength();
        }
    }

    public JsonNode Item(int index)
    {
        ExpectArray();
        return new JsonNode(Element[index], Path + "[" + index.ToString(CultureInfo.InvariantCulture) + "]", File);
    }

    public void ExpectObject()
    {
        if (Element.ValueKind != JsonValueKind.Object)
        {
            throw Error($"expected an object, found {Describe(Element.ValueKind)}");
        }
    }

    public void ExpectArray()
    {
        if (Element.ValueKind != JsonValueKind.Array)
        {
            throw Error($"expected an array, found {Describe(Element.ValueKind)}");
        }
    }

    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };
}
