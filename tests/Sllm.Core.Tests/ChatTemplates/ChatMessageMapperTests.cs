using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace Sllm.ChatTemplates;

public sealed class ChatMessageMapperTests
{
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [Fact]
    public void ToJson_MapsRolesTextCallsAndResults()
    {
        JsonArray json = ChatMessageMapper.ToJson(MeaiConversation.Messages());

        Assert.Equal(
            """[{"role":"system","content":"You are terse."},{"role":"user","content":"Weather in Paris?"},""" +
            """{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":{"city":"Paris","days":2}}}]},""" +
            """{"role":"tool","content":"{\"temperature\": 22}","tool_call_id":"call_1","name":"get_weather"},""" +
            """{"role":"assistant","content":"It is 22 °C in Paris."},{"role":"user","content":"Thanks!"}]""",
            json.ToJsonString(Relaxed));
    }

    [Fact]
    public void ToJson_NonStringResults_AreSerialized_AndReasoningIsKept()
    {
        JsonArray json = ChatMessageMapper.ToJson(
        [
            new(ChatRole.Assistant, [new TextReasoningContent("think"), new TextContent("a"), new TextContent("b")]),
            new(ChatRole.Tool, [new FunctionResultContent("unknown", JsonDocument.Parse("""{"ok": true}""").RootElement), new FunctionResultContent("x", null)]),
            new(ChatRole.User, []),
        ]);

        Assert.Equal(
            """[{"role":"assistant","content":"ab","reasoning_content":"think"},""" +
            """{"role":"tool","content":"{\"ok\":true}","tool_call_id":"unknown"},{"role":"tool","content":"","tool_call_id":"x"},{"role":"user","content":""}]""",
            json.ToJsonString(Relaxed));
    }

    [Fact]
    public void ToJson_PlainAdditionalProperties_BecomeExtraKeys_WithoutReplacingStandardOnes()
    {
        var message = new ChatMessage(ChatRole.System, "s")
        {
            AdditionalProperties = new() { ["tools"] = "[]", ["flag"] = true, ["role"] = "user", ["skipped"] = new Uri("http://x") },
        };

        Assert.Equal("""[{"role":"system","content":"s","tools":"[]","flag":true}]""", ChatMessageMapper.ToJson([message]).ToJsonString(Relaxed));
    }

    [Fact]
    public void ToolsToJson_MapsFunctionDeclarations()
    {
        JsonArray? tools = ChatMessageMapper.ToolsToJson([MeaiConversation.WeatherTool]);

        Assert.Equal(
            """[{"type":"function","function":{"name":"get_weather","description":"Get the current weather for a city.","parameters":""" +
            """{"type":"object","properties":{"city":{"type":"string","description":"City name"}},"required":["city"]}}}]""",
            tools!.ToJsonString(Relaxed));
    }

    [Fact]
    public void Render_MeaiMessages_EqualsRenderingTheirJson()
    {
        ChatTemplate template = ChatTemplate.Parse("{% for m in messages %}{{ m.role }}:{{ m.content }}|{% endfor %}{{ tools | tojson }}");
        var options = new ChatTemplateRenderOptions { Tools = [MeaiConversation.WeatherTool] };
        string viaMeai = template.Render(MeaiConversation.Messages(), options);
        string viaJson = template.RenderJson(ChatMessageMapper.ToJson(MeaiConversation.Messages()), ChatMessageMapper.ToolsToJson(options.Tools), null);
        Assert.Equal(viaJson, viaMeai);
        Assert.StartsWith("system:You are terse.|user:Weather in Paris?|assistant:|tool:", viaMeai, StringComparison.Ordinal);
    }
}
