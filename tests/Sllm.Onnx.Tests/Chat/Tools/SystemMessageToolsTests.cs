using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Sllm.Onnx.Chat.Tools;

public sealed class SystemMessageToolsTests
{
    private static readonly AIFunctionDeclaration Weather = AIFunctionFactory.CreateDeclaration(
        "get_weather", "Weather.", JsonDocument.Parse("""{"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}""").RootElement);

    [Fact]
    public void Attach_CopiesTheExistingSystemMessage_WithAToolsString()
    {
        var system = new ChatMessage(ChatRole.System, "Be brief.") { AdditionalProperties = new() { ["other"] = "kept" } };
        List<ChatMessage> messages = [new(ChatRole.User, "hi"), system];

        SystemMessageTools.Attach(messages, [Weather]);

        Assert.Equal(2, messages.Count);
        Assert.NotSame(system, messages[1]);
        Assert.Equal("Be brief.", messages[1].Text);
        Assert.Equal("kept", messages[1].AdditionalProperties!["other"]);
        Assert.Equal("""[{"name":"get_weather","description":"Weather.","parameters":{"city":{"type":"string"}}}]""", messages[1].AdditionalProperties!["tools"]);
        Assert.False(system.AdditionalProperties.ContainsKey("tools"));
    }

    [Fact]
    public void Attach_WithoutASystemMessage_InsertsAnEmptyOne()
    {
        List<ChatMessage> messages = [new(ChatRole.User, "hi")];
        SystemMessageTools.Attach(messages, [Weather]);
        Assert.Equal(ChatRole.System, messages[0].Role);
        Assert.Equal(string.Empty, messages[0].Text);
        Assert.True(SystemMessageTools.ReadsMessageTools("{{ message['tools'] }}"));
        Assert.False(SystemMessageTools.ReadsMessageTools("{{ tools | tojson }}"));
    }
}
