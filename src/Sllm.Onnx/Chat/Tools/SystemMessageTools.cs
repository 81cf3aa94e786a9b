using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace Sllm.Onnx;

/// <summary>Puts the tools on the system message for templates that read them there rather than from the <c>tools</c>
/// variable: Phi-4-mini's template renders <c>message['tools']</c> (a JSON string) between <c>&lt;|tool|&gt;</c> tags.</summary>
/// <remarks>The tools are written as Phi-4-mini's model card shows them, <c>[{"name", "description", "parameters"}]</c> with
/// <c>parameters</c> the schema's <c>properties</c> map (types left in JSON Schema spelling).</remarks>
internal static class SystemMessageTools
{
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Whether a template reads tools from the messages instead of the <c>tools</c> variable.</summary>
    public static bool ReadsMessageTools(string templateSource) =>
        templateSource.Contains("message['tools']", StringComparison.Ordinal) || templateSource.Contains("message.tools", StringComparison.Ordinal);

    /// <summary>Replaces the first system message (inserting an empty one when there is none) with a copy carrying a
    /// <c>tools</c> property; the caller's message objects are not changed.</summary>
    public static void Attach(List<ChatMessage> messages, IList<AITool> tools)
    {
        var list = new JsonArray();
        foreach (AITool tool in tools)
        {
            if (tool is AIFunctionDeclaration function)
            {
                JsonElement schema = function.JsonSchema;
                JsonNode parameters = schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("properties", out JsonElement properties)
                    ? JsonNode.Parse(properties.GetRawText())!
                    : new JsonObject();
                list.Add((JsonNode)new JsonObject { ["name"] = function.Name, ["description"] = function.Description, ["parameters"] = parameters });
            }
        }

        int at = messages.FindIndex(static m => m.Role == ChatRole.System);
        ChatMessage system = at >= 0 ? messages[at] : new ChatMessage(ChatRole.System, string.Empty);
        var copy = new ChatMessage(system.Role, system.Contents)
        {
            AdditionalProperties = system.AdditionalProperties is null ? [] : new AdditionalPropertiesDictionary(system.AdditionalProperties),
            AuthorName = system.AuthorName,
            MessageId = system.MessageId,
        };
        copy.AdditionalProperties["tools"] = list.ToJsonString(Relaxed);
        if (at >= 0)
        {
            messages[at] = copy;
        }
        else
        {
            messages.Insert(0, copy);
        }
    }
}
