using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace Sllm.ChatTemplates;

/// <summary>Maps Microsoft.Extensions.AI messages and tools to the Hugging Face / OpenAI JSON shape chat templates expect.</summary>
/// <remarks>
/// A message becomes <c>{"role", "content", "reasoning_content"?, "tool_calls"?}</c>: <c>content</c> is the concatenated
/// <see cref="TextContent"/> text, or <c>null</c> when the message carries only function calls; <see cref="TextReasoningContent"/>
/// becomes <c>reasoning_content</c>. Each <see cref="FunctionResultContent"/> becomes its own
/// <c>{"role": "tool", "content", "tool_call_id", "name"?}</c> message (string results as is, others as compact JSON; the
/// name comes from the matching earlier call). A message's <see cref="ChatMessage.AdditionalProperties"/> holding strings,
/// booleans, numbers or JSON become extra keys of its template message (never replacing the keys above). Other content kinds
/// (images, audio) are not representable in text templates
/// and are skipped.
/// </remarks>
internal static class ChatMessageMapper
{
    private static readonly JsonSerializerOptions CompactOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static JsonArray ToJson(IEnumerable<ChatMessage> messages)
    {
        var result = new JsonArray();
        var callNames = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (ChatMessage message in messages)
        {
            ArgumentNullException.ThrowIfNull(message, nameof(messages));
            StringBuilder? text = null;
            StringBuilder? reasoning = null;
            JsonArray? toolCalls = null;
            List<JsonObject>? toolResults = null;
            foreach (AIContent content in message.Contents)
            {
                switch (content)
                {
                    case TextContent t:
                        (text ??= new StringBuilder()).Append(t.Text);
                        break;
                    case TextReasoningContent r:
                        (reasoning ??= new StringBuilder()).Append(r.Text);
                        break;
                    case FunctionCallContent call:
                        callNames[call.CallId] = call.Name;
                        (toolCalls ??= []).Add((JsonNode)new JsonObject
                        {
                            ["id"] = call.CallId,
                            ["type"] = "function",
                            ["function"] = new JsonObject
                            {
                                ["name"] = call.Name,
                                ["arguments"] = ArgumentsToJson(call.Arguments),
                            },
                        });
                        break;
                    case FunctionResultContent functionResult:
                    {
                        var tool = new JsonObject
                        {
                            ["role"] = "tool",
                            ["content"] = ResultToString(functionResult.Result),
                            ["tool_call_id"] = functionResult.CallId,
                        };
                        if (callNames.TryGetValue(functionResult.CallId, out string? name))
                        {
                            tool["name"] = name;
                        }

                        (toolResults ??= []).Add(tool);
                        break;
                    }
                }
            }

            bool onlyResults = toolResults is not null && text is null && toolCalls is null && reasoning is null;
            if (!onlyResults)
            {
                var obj = new JsonObject
                {
                    ["role"] = message.Role.Value,
                    ["content"] = text is not null ? text.ToString() : toolCalls is not null ? null : string.Empty,
                };
                if (reasoning is not null)
                {
                    obj["reasoning_content"] = reasoning.ToString();
                }

                if (toolCalls is not null)
                {
                    obj["tool_calls"] = toolCalls;
                }

                AddExtraKeys(obj, message.AdditionalProperties);
                result.Add((JsonNode)obj);
            }

            foreach (JsonObject tool in toolResults ?? [])
            {
                result.Add((JsonNode)tool);
            }
        }

        return result;
    }

    /// <summary>Copies a message's additional properties that are plain JSON values onto its template message, for templates
    /// that read extra keys (Phi-4-mini's system <c>tools</c> string); keys already set win, other value types are skipped.</summary>
    private static void AddExtraKeys(JsonObject obj, AdditionalPropertiesDictionary? properties)
    {
        if (properties is null)
        {
            return;
        }

        foreach (KeyValuePair<string, object?> pair in properties)
        {
            if (!obj.ContainsKey(pair.Key) && pair.Value is string or bool or int or long or double or JsonElement or JsonNode)
            {
                obj[pair.Key] = ToNode(pair.Value);
            }
        }
    }

    public static JsonArray? ToolsToJson(IList<AITool>? tools)
    {
        if (tools is null)
        {
            return null;
        }

        var result = new JsonArray();
        foreach (AITool tool in tools)
        {
            if (tool is AIFunctionDeclaration function)
            {
                result.Add((JsonNode)new JsonObject
                {
                    ["type"] = "function",
                    ["function"] = new JsonObject
                    {
                        ["name"] = function.Name,
                        ["description"] = function.Description,
                        ["parameters"] = JsonNode.Parse(function.JsonSchema.GetRawText()),
                    },
                });
            }
        }

        return result;
    }

    private static JsonObject ArgumentsToJson(IDictionary<string, object?>? arguments)
    {
        var obj = new JsonObject();
        if (arguments is not null)
        {
            foreach (KeyValuePair<string, object?> pair in arguments)
            {
                obj[pair.Key] = ToNode(pair.Value);
            }
        }

        return obj;
    }

    private static JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        JsonNode node => node.DeepClone(),
        JsonElement element => element.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined ? null : JsonNode.Parse(element.GetRawText()),
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        _ => JsonSerializer.SerializeToNode(value, AIJsonUtilities.DefaultOptions.GetTypeInfo(value.GetType())),
    };

    // Results are written compactly (MEAI serializes function results indented): every token counts in a small model's
    // context. Non-ASCII stays raw, as transformers' tojson writes it.
    private static string ResultToString(object? result) => result switch
    {
        null => string.Empty,
        string s => s,
        JsonElement { ValueKind: JsonValueKind.String } element => element.GetString()!,
        JsonElement element => Compact(element),
        JsonNode node when node.GetValueKind() == JsonValueKind.String => node.GetValue<string>(),
        JsonNode node => node.ToJsonString(CompactOptions),
        _ => Compact(JsonSerializer.SerializeToElement(result, AIJsonUtilities.DefaultOptions.GetTypeInfo(result.GetType()))),
    };

    private static string Compact(JsonElement element)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = CompactOptions.Encoder }))
        {
            element.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
