using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Sllm.ChatTemplates;

/// <summary>A tool-using conversation built with Microsoft.Extensions.AI types, shared by the mapping and golden tests.</summary>
internal static class MeaiConversation
{
    public static AIFunctionDeclaration WeatherTool { get; } = AIFunctionFactory.CreateDeclaration(
        "get_weather",
        "Get the current weather for a city.",
        JsonDocument.Parse("""{"type": "object", "properties": {"city": {"type": "string", "description": "City name"}}, "required": ["city"]}""").RootElement);

    public static List<ChatMessage> Messages() =>
    [
        new(ChatRole.System, "You are terse."),
        new(ChatRole.User, "Weather in Paris?"),
        new(ChatRole.Assistant, [new FunctionCallContent("call_1", "get_weather", new Dictionary<string, object?> { ["city"] = "Paris", ["days"] = 2 })]),
        new(ChatRole.Tool, [new FunctionResultContent("call_1", "{\"temperature\": 22}")]),
        new(ChatRole.Assistant, "It is 22 °C in Paris."),
        new(ChatRole.User, "Thanks!"),
    ];
}
