using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Sllm.Onnx.Chat;

namespace Sllm.Onnx.Chat.Tools;

/// <summary>RequireAny / RequireSpecific enforced by constrained decoding on a random-weight builder model, which would never
/// write a call on its own: every answer must be one well-formed call to an allowed function with schema-valid arguments.</summary>
public sealed class RequiredToolCallTests
{
    private static readonly AIFunctionDeclaration Weather = AIFunctionFactory.CreateDeclaration(
        "get_weather",
        "Get the current weather for a city.",
        JsonDocument.Parse("""{"type":"object","properties":{"city":{"type":"string","maxLength":12},"unit":{"enum":["celsius","fahrenheit"]}},"required":["city","unit"]}""").RootElement);

    private static readonly AIFunctionDeclaration Clock = AIFunctionFactory.CreateDeclaration(
        "get_time",
        "Get the local time in a time zone.",
        JsonDocument.Parse("""{"type":"object","properties":{"zone":{"enum":["UTC","CET","PST"]},"seconds":{"type":"boolean"}},"required":["zone"]}""").RootElement);

    [Fact]
    public async Task RequireAny_makes_every_sampled_answer_one_valid_call()
    {
        using OnnxChatClient client = await OnnxChatClient.CreateAsync(await StructuredOutputTests.ModelAsync());
        var names = new HashSet<string>();
        for (int seed = 0; seed < 20; seed++)
        {
            var options = new ChatOptions { Tools = [Weather, Clock], ToolMode = ChatToolMode.RequireAny, Temperature = 1f, Seed = seed, MaxOutputTokens = 200 };
            ChatResponse response = await client.GetResponseAsync("What should I do now?", options);

            Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
            FunctionCallContent call = Assert.IsType<FunctionCallContent>(Assert.Single(response.Messages.SelectMany(m => m.Contents), c => c is not UsageContent));
            names.Add(call.Name);
            IDictionary<string, object?> arguments = call.Arguments!;
            if (call.Name == "get_weather")
            {
                string city = Assert.IsType<JsonElement>(arguments["city"]).GetString()!;
                Assert.InRange(city.Length, 0, 12);
                Assert.Contains(Assert.IsType<JsonElement>(arguments["unit"]).GetString(), new[] { "celsius", "fahrenheit" });
            }
            else
            {
                Assert.Equal("get_time", call.Name);
                Assert.Contains(Assert.IsType<JsonElement>(arguments["zone"]).GetString(), new[] { "UTC", "CET", "PST" });
                Assert.All(arguments.Keys, key => Assert.Contains(key, new[] { "zone", "seconds" }));
            }
        }

        Assert.Equal(2, names.Count);
    }

    [Fact]
    public async Task RequireSpecific_drives_a_UseFunctionInvocation_round_trip()
    {
        using OnnxChatClient client = await OnnxChatClient.CreateAsync(await StructuredOutputTests.ModelAsync());
        int invocations = 0;
        string? seenCity = null;
        AIFunction weather = AIFunctionFactory.Create(
            // [MaxLength] reaches the parameter schema; without a bound, greedy decoding of random weights never closes the string.
            ([MaxLength(16)] string city) =>
            {
                invocations++;
                seenCity = city;
                return new Dictionary<string, int> { ["temperature"] = 22 };
            },
            "get_weather",
            "Get the current weather for a city.");
        using IChatClient pipeline = client.AsBuilder().UseFunctionInvocation().Build();
        var options = new ChatOptions { Tools = [weather, Clock], ToolMode = ChatToolMode.RequireSpecific("get_weather"), Temperature = 0f, MaxOutputTokens = 128 };

        ChatResponse response = await pipeline.GetResponseAsync("Weather in Paris?", options);

        Assert.Equal(1, invocations);
        Assert.NotNull(seenCity);
        Assert.Equal(3, response.Messages.Count);
        FunctionCallContent call = Assert.IsType<FunctionCallContent>(Assert.Single(response.Messages[0].Contents));
        Assert.Equal("get_weather", call.Name);
        FunctionResultContent result = Assert.IsType<FunctionResultContent>(Assert.Single(response.Messages[1].Contents));
        Assert.Equal(call.CallId, result.CallId);
        Assert.Equal(ChatRole.Assistant, response.Messages[2].Role);
        Assert.DoesNotContain(response.Messages[2].Contents, static c => c is FunctionCallContent);
    }

    [Fact]
    public async Task RequireSpecific_naming_an_absent_function_is_an_argument_error()
    {
        using OnnxChatClient client = await OnnxChatClient.CreateAsync(await StructuredOutputTests.ModelAsync());
        var options = new ChatOptions { Tools = [Weather], ToolMode = ChatToolMode.RequireSpecific("send_email") };
        ArgumentException error = await Assert.ThrowsAsync<ArgumentException>(() => client.GetResponseAsync("Hi", options));
        Assert.Contains("send_email", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unsupported_parameter_keywords_still_force_a_call_to_the_function()
    {
        using OnnxChatClient client = await OnnxChatClient.CreateAsync(await StructuredOutputTests.ModelAsync());
        AIFunctionDeclaration patterned = AIFunctionFactory.CreateDeclaration(
            "lookup", "Look up an order.", JsonDocument.Parse("""{"type":"object","properties":{"id":{"type":"string","pattern":"^[0-9]+$"}}}""").RootElement);
        var options = new ChatOptions { Tools = [patterned], ToolMode = ChatToolMode.RequireAny, Temperature = 0.8f, Seed = 5, MaxOutputTokens = 300 };
        ChatResponse response = await client.GetResponseAsync("Where is my order?", options);
        FunctionCallContent call = Assert.IsType<FunctionCallContent>(Assert.Single(response.Messages.SelectMany(m => m.Contents), c => c is not UsageContent));
        Assert.Equal("lookup", call.Name);
    }
}
