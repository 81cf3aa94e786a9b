using Microsoft.Extensions.AI;

namespace Sllm.Onnx.Chat.Tools;

/// <summary>Each format's parser on outputs shaped like real models' (several calls, nested JSON and escapes, text around
/// calls, malformed calls).</summary>
public sealed class ToolCallParserTests
{
    public static TheoryData<ToolCallFormat, string, string, bool> Cases() => new()
    {
        // Hermes / Qwen
        {
            ToolCallFormat.Hermes,
            "<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\", \"unit\": \"celsius\"}}\n</tool_call>",
            "call get_weather({\"city\":\"Paris\",\"unit\":\"celsius\"})\n", false
        },
        {
            ToolCallFormat.Hermes,
            "Let me check both.\n<tool_call>\n{\"name\": \"a\", \"arguments\": {\"x\": 1}}\n</tool_call>\n<tool_call>\n{\"name\": \"b\", \"arguments\": {\"q\": \"say \\\"hi\\\"\\n\", \"nested\": {\"list\": [1, {\"k\": null}]}}}\n</tool_call>\nDone.",
            "text \"Let me check both.\"\ncall a({\"x\":1})\ncall b({\"q\":\"say \\\"hi\\\"\\n\",\"nested\":{\"list\":[1,{\"k\":null}]}})\ntext \"Done.\"\n", false
        },
        { ToolCallFormat.Hermes, "<tool_call>\n{\"name\": \"a\", \"arguments\": {}}", "call a({})\n", false },
        { ToolCallFormat.Hermes, "<tool_call>{\"name\": \"a\", \"arguments\": \"{\\\"x\\\": 1}\"}</tool_call>", "call a({\"x\":1})\n", false },
        { ToolCallFormat.Hermes, "<tool_call>\n{\"name\": \"a\", \"arguments\": {\"x\": }\n</tool_call>", "text \"<tool_call>\\n{\\\"name\\\": \\\"a\\\", \\\"arguments\\\": {\\\"x\\\": }\\n</tool_call>\"\n", true },
        { ToolCallFormat.Hermes, "<tool_call>{\"arguments\": {}}</tool_call> after", "text \"<tool_call>{\\\"arguments\\\": {}}</tool_call> after\"\n", true },
        { ToolCallFormat.Hermes, "Use <b>bold</b> and a < b, then <tool", "text \"Use <b>bold</b> and a < b, then <tool\"\n", false },
        { ToolCallFormat.Hermes, "{\"name\": \"a\", \"arguments\": {}}", "text \"{\\\"name\\\": \\\"a\\\", \\\"arguments\\\": {}}\"\n", false },

        // Llama 3.1 / 3.2
        { ToolCallFormat.Llama3, "{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Paris\"}}", "call get_weather({\"city\":\"Paris\"})\n", false },
        { ToolCallFormat.Llama3, "{\"type\": \"function\", \"name\": \"a\", \"parameters\": {\"x\": [1, 2]}}", "call a({\"x\":[1,2]})\n", false },
        { ToolCallFormat.Llama3, "<|python_tag|>{\"name\": \"a\", \"parameters\": {\"x\": 1}}; {\"name\": \"b\", \"parameters\": {}}", "call a({\"x\":1})\ncall b({})\n", false },
        { ToolCallFormat.Llama3, "  {\"name\": \"a\", \"parameters\": {\"s\": \"é ☃ \\u00e9\"}}\n", "call a({\"s\":\"é ☃ é\"})\n", false },
        { ToolCallFormat.Llama3, "The answer is {not json}.", "text \"The answer is {not json}.\"\n", false },
        { ToolCallFormat.Llama3, "{\"answer\": 42}", "text \"{\\\"answer\\\": 42}\"\n", false },
        { ToolCallFormat.Llama3, "{\"name\": \"a\", \"parameters\": {\"x\": 1}", "text \"{\\\"name\\\": \\\"a\\\", \\\"parameters\\\": {\\\"x\\\": 1}\"\n", true },
        { ToolCallFormat.Llama3, "<|python_tag|>brave_search.call(query=\"x\")", "text \"<|python_tag|>brave_search.call(query=\\\"x\\\")\"\n", true },

        // Mistral
        {
            ToolCallFormat.Mistral,
            "[TOOL_CALLS][{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}, \"id\": \"abc123XYZ\"}]",
            "call get_weather({\"city\":\"Paris\"})\n", false
        },
        {
            ToolCallFormat.Mistral,
            "[TOOL_CALLS] [{\"name\": \"a\", \"arguments\": {\"x\": 1}}, {\"name\": \"b\", \"arguments\": {\"y\": [1, {\"z\": \"]\"}]}}]",
            "call a({\"x\":1})\ncall b({\"y\":[1,{\"z\":\"]\"}]})\n", false
        },
        { ToolCallFormat.Mistral, "[TOOL_CALLS]get_weather[ARGS]{\"city\": \"Paris\"}[TOOL_CALLS]b[ARGS]{}", "call get_weather({\"city\":\"Paris\"})\ncall b({})\n", false },
        { ToolCallFormat.Mistral, "Sure.\n[TOOL_CALLS][{\"name\":\"a\",\"arguments\":{}}]", "text \"Sure.\"\ncall a({})\n", false },
        { ToolCallFormat.Mistral, "[TOOL_CALLS][{\"name\": \"a\", \"arguments\": {", "text \"[TOOL_CALLS][{\\\"name\\\": \\\"a\\\", \\\"arguments\\\": {\"\n", true },
        { ToolCallFormat.Mistral, "[TOOL_CALLS]a b[ARGS]{}", "text \"[TOOL_CALLS]a b[ARGS]{}\"\n", true },

        // Phi-4-mini and Granite
        {
            ToolCallFormat.Phi4Mini,
            "<|tool_call|>[{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}]<|/tool_call|>",
            "call get_weather({\"city\":\"Paris\"})\n", false
        },
        {
            ToolCallFormat.Phi4Mini,
            "<|tool_call|>[{\"name\": \"a\", \"arguments\": {\"x\": \"tab\\tend\"}}, {\"name\": \"b\", \"arguments\": {}}]",
            "call a({\"x\":\"tab\\tend\"})\ncall b({})\n", false
        },
        { ToolCallFormat.Phi4Mini, "Checking.<|tool_call|>[{\"name\": \"a\", \"arguments\": {}}]<|/tool_call|> Then more.", "text \"Checking.\"\ncall a({})\ntext \"Then more.\"\n", false },
        { ToolCallFormat.Phi4Mini, "<|tool_call|>[{\"name\": \"a\", \"arguments\": [1]}]<|/tool_call|>", "text \"<|tool_call|>[{\\\"name\\\": \\\"a\\\", \\\"arguments\\\": [1]}]<|/tool_call|>\"\n", true },

        // Generic JSON
        { ToolCallFormat.Json, "```json\n{\"name\": \"a\", \"arguments\": {\"x\": 1}}\n```", "call a({\"x\":1})\n", false },
        { ToolCallFormat.Json, "[{\"name\": \"a\", \"arguments\": {}}, {\"name\": \"b\", \"parameters\": {\"y\": 2}}]", "call a({})\ncall b({\"y\":2})\n", false },
        { ToolCallFormat.Json, "{\"name\": \"Alice\", \"age\": 30}", "text \"{\\\"name\\\": \\\"Alice\\\", \\\"age\\\": 30}\"\n", false },
        { ToolCallFormat.Json, "`x` is a variable.", "text \"`x` is a variable.\"\n", false },
        { ToolCallFormat.Json, "Plain answer <tool_call>", "text \"Plain answer <tool_call>\"\n", false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Parse_RealLookingOutput_GivesCallsAndText(ToolCallFormat format, string output, string expected, bool warns)
    {
        var logger = new ListLogger();
        Assert.Equal(expected, ToolParsing.Describe(format, output, logger));
        Assert.Equal(warns, logger.Warnings.Any());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Parse_SplitAtEveryBoundary_GivesTheSameResult_AndNeverLeaksMarkup(ToolCallFormat format, string output, string expected, bool warns)
    {
        _ = warns;
        for (int at = 0; at <= output.Length; at++)
        {
            List<AIContent> contents = ToolParsing.Run(format, [output[..at], output[at..]]);
            Assert.Equal(expected, ToolParsing.Describe(contents));
        }

        List<AIContent> byChar = ToolParsing.Run(format, output.Select(static c => c.ToString()));
        Assert.Equal(expected, ToolParsing.Describe(byChar));
    }

    [Fact]
    public void Calls_WithoutIds_GetDistinctNineCharacterAlphanumericIds()
    {
        List<AIContent> contents = ToolParsing.Run(ToolCallFormat.Hermes, ["<tool_call>{\"name\": \"a\", \"arguments\": {}}</tool_call><tool_call>{\"name\": \"a\", \"arguments\": {}}</tool_call>"]);
        FunctionCallContent[] calls = [.. contents.OfType<FunctionCallContent>()];
        Assert.Equal(2, calls.Length);
        Assert.All(calls, c => Assert.Matches("^[A-Za-z0-9]{9}$", c.CallId));
        Assert.NotEqual(calls[0].CallId, calls[1].CallId);
    }

    [Fact]
    public void Calls_WithIds_KeepThem_AndArgumentsAreJsonElements()
    {
        List<AIContent> contents = ToolParsing.Run(ToolCallFormat.Mistral, ["[TOOL_CALLS][{\"name\": \"a\", \"arguments\": {\"n\": 2, \"s\": \"x\"}, \"id\": \"abc123XYZ\"}]"]);
        FunctionCallContent call = Assert.IsType<FunctionCallContent>(Assert.Single(contents));
        Assert.Equal("abc123XYZ", call.CallId);
        Assert.Equal(2, Assert.IsType<System.Text.Json.JsonElement>(call.Arguments!["n"]).GetInt32());
        Assert.Equal("x", Assert.IsType<System.Text.Json.JsonElement>(call.Arguments["s"]).GetString());
    }

    [Fact]
    public void Text_BeforeAPossibleMarker_IsHeldBack_UntilTheMarkerIsRuledOut()
    {
        var filter = new ToolCallStreamFilter(ToolCallSyntax.For(ToolCallFormat.Hermes), new ListLogger());
        filter.Append("Hello <tool");
        Assert.Equal("Hello", Assert.IsType<TextContent>(Assert.Single(filter.Ready)).Text);
        filter.Ready.Clear();
        filter.Append("bar>");
        Assert.Equal(" <toolbar>", Assert.IsType<TextContent>(Assert.Single(filter.Ready)).Text);
    }
}
