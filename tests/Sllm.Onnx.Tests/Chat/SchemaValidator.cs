using System.Globalization;
using System.Text.Json;

namespace Sllm.Onnx.Chat;

/// <summary>An independent JSON-schema validator for the keywords constrained decoding supports, to check its outputs.</summary>
internal static class SchemaValidator
{
    /// <summary>Returns null when <paramref name="value"/> validates, else what is wrong and where.</summary>
    public static string? Validate(JsonElement value, JsonElement schema, JsonElement root, string at = "$")
    {
        if (schema.TryGetProperty("$ref", out JsonElement reference))
        {
            JsonElement target = root;
            foreach (string part in reference.GetString()!.TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                target = target.GetProperty(part);
            }

            return Validate(value, target, root, at);
        }

        if (schema.TryGetProperty("enum", out JsonElement values))
        {
            foreach (JsonElement allowed in values.EnumerateArray())
            {
                if (JsonElement.DeepEquals(allowed, value))
                {
                    return null;
                }
            }

            return $"{at}: {value} is not in the enum";
        }

        if (schema.TryGetProperty("const", out JsonElement constant))
        {
            return JsonElement.DeepEquals(constant, value) ? null : $"{at}: {value} is not the const";
        }

        if (schema.TryGetProperty("type", out JsonElement type))
        {
            string[] types = type.ValueKind == JsonValueKind.Array ? [.. type.EnumerateArray().Select(t => t.GetString()!)] : [type.GetString()!];
            if (!types.Any(t => IsType(value, t)))
            {
                return $"{at}: {value.ValueKind} '{value}' is not {string.Join('/', types)}";
            }
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                int length = value.GetString()!.EnumerateRunes().Count();
                if (schema.TryGetProperty("minLength", out JsonElement min) && length < min.GetInt32())
                {
                    return $"{at}: shorter than {min}";
                }

                return schema.TryGetProperty("maxLength", out JsonElement max) && length > max.GetInt32() ? $"{at}: longer than {max}" : null;
            case JsonValueKind.Array:
                int count = value.GetArrayLength();
                if ((schema.TryGetProperty("minItems", out JsonElement minItems) && count < minItems.GetInt32())
                    || (schema.TryGetProperty("maxItems", out JsonElement maxItems) && count > maxItems.GetInt32()))
                {
                    return $"{at}: {count} items is out of bounds";
                }

                int index = 0;
                foreach (JsonElement item in value.EnumerateArray())
                {
                    if (schema.TryGetProperty("items", out JsonElement items) && Validate(item, items, root, $"{at}[{index}]") is { } error)
                    {
                        return error;
                    }

                    index++;
                }

                return null;
            case JsonValueKind.Object:
                schema.TryGetProperty("properties", out JsonElement properties);
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (JsonProperty property in value.EnumerateObject())
                {
                    if (!seen.Add(property.Name))
                    {
                        return $"{at}: duplicate property {property.Name}";
                    }

                    if (properties.ValueKind != JsonValueKind.Object || !properties.TryGetProperty(property.Name, out JsonElement propertySchema))
                    {
                        if (schema.TryGetProperty("additionalProperties", out JsonElement additional) && additional.ValueKind == JsonValueKind.False)
                        {
                            return $"{at}: undeclared property {property.Name}";
                        }

                        continue;
                    }

                    if (Validate(property.Value, propertySchema, root, $"{at}.{property.Name}") is { } error)
                    {
                        return error;
                    }
                }

                if (schema.TryGetProperty("required", out JsonElement required))
                {
                    foreach (JsonElement name in required.EnumerateArray())
                    {
                        if (!seen.Contains(name.GetString()!))
                        {
                            return $"{at}: required property {name} is missing";
                        }
                    }
                }

                return null;
            default:
                return null;
        }
    }

    private static bool IsType(JsonElement value, string type) => type switch
    {
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        "string" => value.ValueKind == JsonValueKind.String,
        "number" => value.ValueKind == JsonValueKind.Number,
        "integer" => value.ValueKind == JsonValueKind.Number && long.TryParse(value.GetRawText(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "null" => value.ValueKind == JsonValueKind.Null,
        _ => false,
    };
}
