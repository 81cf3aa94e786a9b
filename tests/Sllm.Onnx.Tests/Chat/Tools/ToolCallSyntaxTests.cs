using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace Sllm.Onnx.Chat.Tools;

/// <summary>The hook constrained decoding uses to force a call: prefix + schema-valid payload + suffix must parse back.</summary>
public sealed class ToolCallSyntaxTests
{
    private static readonly AIFunctionDeclaration Weather = AIFunctionFactory.CreateDeclaration(
        "get_weather", "Weather.", JsonDocument.Parse("""{"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}""").RootElement);

    private static readonly AIFunctionDeclaration Time = AIFunctionFactory.CreateDeclaration(
        "get_time", "Time.", JsonDocument.Parse("""{"type": "object", "properties": {}}""").RootElement);

    public static TheoryData<ToolCallFormat> Formats() => [.. Enum.GetValues<ToolCallFormat>()];

    [Theory]
    [MemberData(nameof(Formats))]
    public void ForcedCall_PrefixPayloadSuffix_ParsesBackToTheCall(ToolCallFormat format)
    {
        ToolCallSyntax syntax = ToolCallSyntax.For(format);
        var call = new JsonObject { ["name"] = "get_weather", [syntax.ArgumentsKey] = new JsonObject { ["city"] = "Paris" } };
        JsonNode payload = syntax.PayloadIsArray ? new JsonArray(call) : call;
        string text = syntax.CallPrefix + payload.ToJsonString() + syntax.CallSuffix;

        Assert.Equal("call get_weather({\"city\":\"Paris\"})\n", ToolParsing.Describe(format, text));
        Assert.Equal(format, syntax.Format);
    }

    [Fact]
    public void BuildCallSchema_OneFunction_IsTheCallObject()
    {
        JsonObject schema = ToolCallSyntax.For(ToolCallFormat.Llama3).BuildCallSchema([Weather]);
        Assert.Equal(
            """{"type":"object","properties":{"name":{"enum":["get_weather"]},"parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}},"required":["name","parameters"],"additionalProperties":false}""",
            schema.ToJsonString());
    }

    [Fact]
    public void BuildCallSchema_SeveralFunctions_PairsEachNameWithItsParameters()
    {
        JsonObject schema = ToolCallSyntax.For(ToolCallFormat.Hermes).BuildCallSchema([Weather, Time]);
        JsonArray anyOf = schema["anyOf"]!.AsArray();
        Assert.Equal(2, anyOf.Count);
        Assert.Equal("get_time", (string?)anyOf[1]!["properties"]!["name"]!["enum"]![0]);
        Assert.Equal("""{"type":"object","properties":{}}""", anyOf[1]!["properties"]!["arguments"]!.ToJsonString());
        Assert.Throws<ArgumentException>(() => ToolCallSyntax.For(ToolCallFormat.Hermes).BuildCallSchema([]));
    }

    [Fact]
    public void BuildPayloadSchema_ArrayFormats_WrapTheCallInANonEmptyArray()
    {
        JsonObject mistral = ToolCallSyntax.For(ToolCallFormat.Mistral).BuildPayloadSchema([Weather]);
        Assert.Equal("array", (string?)mistral["type"]);
        Assert.Equal(1, (int?)mistral["minItems"]);
        Assert.Equal("object", (string?)mistral["items"]!["type"]);
        Assert.Equal("object", (string?)ToolCallSyntax.For(ToolCallFormat.Hermes).BuildPayloadSchema([Weather])["type"]);
    }
}
