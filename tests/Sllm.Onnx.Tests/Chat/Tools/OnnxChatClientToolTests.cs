using System.Text.Json;
using Microsoft.Extensions.AI;
using Sllm.ChatTemplates;
using Sllm.Onnx.Engine;
using Sllm.Testing;

namespace Sllm.Onnx.Chat.Tools;

/// <summary>Tool calling through the real <see cref="OnnxChatClient"/> on a builder model (whose template is Hermes-style).</summary>
public sealed class OnnxChatClientToolTests
{
    private const string ForcedCall = "<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}\n</tool_call>";

    private static readonly AIFunctionDeclaration Weather = AIFunctionFactory.CreateDeclaration(
        "get_weather", "Get the current weather for a city.", JsonDocument.Parse("""{"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}""").RootElement);

    [Fact]
    public async Task Format_IsDetectedFromTheModelFolder_OrTakenFromOptions()
    {
        string path = await TestModels.LlamaAsync();
        using OnnxChatClient detected = await OnnxChatClient.CreateAsync(path);
        Assert.Equal(ToolCallFormat.Hermes, detected.ToolCallFormat);

        using OnnxChatClient configured = new(detected.Model, options: new OnnxChatClientOptions { ToolCallFormat = ToolCallFormat.Llama3 });
        Assert.Equal(ToolCallFormat.Llama3, configured.ToolCallFormat);
        Assert.Throws<ArgumentOutOfRangeException>(() => new OnnxChatClientOptions { ToolCallFormat = (ToolCallFormat)99 }.Validate());
    }

    [Fact]
    public async Task History_WithCallsAndResults_RendersThroughTheTemplate_AndGenerates()
    {
        using OnnxChatClient client = await OnnxChatClient.CreateAsync(await TestModels.LlamaAsync());
        List<ChatMessage> history =
        [
            new(ChatRole.User, "Weather in Paris?"),
            new(ChatRole.Assistant, [new FunctionCallContent("call12345", "get_weather", new Dictionary<string, object?> { ["city"] = "Paris" })]),
            new(ChatRole.Tool, [new FunctionResultContent("call12345", "{\"temperature\": 22}")]),
        ];
        var options = new ChatOptions { Tools = [Weather], Temperature = 0f, MaxOutputTokens = 8 };

        string prompt = client.GetService<ChatTemplate>()!.Render(history, new ChatTemplateRenderOptions { Tools = [Weather], AddGenerationPrompt = true });
        Assert.Contains("<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}\n</tool_call>", prompt, StringComparison.Ordinal);
        Assert.Contains("<tool_response>\n{\"temperature\": 22}\n</tool_response>", prompt, StringComparison.Ordinal);

        ChatResponse response = await client.GetResponseAsync(history, options);
        Assert.True(response.Usage!.OutputTokenCount > 0);
        Assert.Equal(client.Model.Tokenizer!.EncodeToIds(prompt, addSpecialTokens: false).Count, response.Usage.InputTokenCount);

        int updates = 0;
        await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync(history, options))
        {
            updates++;
        }

        Assert.True(updates > 0);
    }

    [Fact]
    public async Task ToolModeNone_RendersNoTools()
    {
        using OnnxChatClient client = await OnnxChatClient.CreateAsync(await TestModels.LlamaAsync());
        async Task<long> PromptTokens(ChatOptions options) => (await client.GetResponseAsync("Weather in Paris?", options)).Usage!.InputTokenCount!.Value;

        long plain = await PromptTokens(new ChatOptions { MaxOutputTokens = 1 });
        long none = await PromptTokens(new ChatOptions { MaxOutputTokens = 1, Tools = [Weather], ToolMode = ChatToolMode.None });
        long auto = await PromptTokens(new ChatOptions { MaxOutputTokens = 1, Tools = [Weather], ToolMode = ChatToolMode.Auto });

        Assert.Equal(plain, none);
        Assert.True(auto > plain + 20, $"tools should lengthen the prompt: {auto} vs {plain}");
    }

    [Fact]
    public async Task ForcedCall_ComesBackAsFunctionCallContent_WithFinishReasonToolCalls_AndNoMarkupAsText()
    {
        using OnnxChatClient client = await CreateForcingClientAsync("Checking. " + ForcedCall);
        var options = new ChatOptions { Tools = [Weather], ToolMode = ChatToolMode.RequireAny, MaxOutputTokens = 64 };

        ChatResponse response = await client.GetResponseAsync("Weather in Paris?", options);
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
        ChatMessage message = Assert.Single(response.Messages);
        Assert.Equal("Checking.", Assert.IsType<TextContent>(message.Contents[0]).Text);
        FunctionCallContent call = Assert.IsType<FunctionCallContent>(message.Contents[1]);
        Assert.Equal("get_weather", call.Name);
        Assert.Equal("Paris", ((JsonElement)call.Arguments!["city"]!).GetString());

        var streamedText = new System.Text.StringBuilder();
        FunctionCallContent? streamedCall = null;
        ChatFinishReason? finish = null;
        await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync("Weather in Paris?", options))
        {
            foreach (AIContent content in update.Contents)
            {
                if (content is TextContent t)
                {
                    Assert.DoesNotContain("<", t.Text, StringComparison.Ordinal);
                    Assert.DoesNotContain("{", t.Text, StringComparison.Ordinal);
                    streamedText.Append(t.Text);
                }
                else if (content is FunctionCallContent c)
                {
                    streamedCall = c;
                }
            }

            finish = update.FinishReason ?? finish;
        }

        Assert.Equal("Checking.", streamedText.ToString());
        Assert.Equal("get_weather", streamedCall?.Name);
        Assert.Equal(ChatFinishReason.ToolCalls, finish);
    }

    [Fact]
    public async Task UseFunctionInvocation_RoundTrip_InvokesTheFunction_RendersItsResult_AndAnswers()
    {
        using OnnxChatClient client = await CreateForcingClientAsync(ForcedCall);
        int invocations = 0;
        string? seenCity = null;
        AIFunction weather = AIFunctionFactory.Create(
            (string city) =>
            {
                invocations++;
                seenCity = city;
                return new Dictionary<string, int> { ["temperature"] = 22 };
            },
            "get_weather",
            "Get the current weather for a city.");
        using IChatClient pipeline = client.AsBuilder().UseFunctionInvocation().Build();
        var options = new ChatOptions { Tools = [weather], ToolMode = ChatToolMode.RequireSpecific("get_weather"), Temperature = 0f, MaxOutputTokens = 64 };

        ChatResponse response = await pipeline.GetResponseAsync("Weather in Paris?", options);

        Assert.Equal(1, invocations);
        Assert.Equal("Paris", seenCity);
        Assert.Equal(3, response.Messages.Count);
        Assert.IsType<FunctionCallContent>(Assert.Single(response.Messages[0].Contents));
        FunctionResultContent result = Assert.IsType<FunctionResultContent>(Assert.Single(response.Messages[1].Contents));
        Assert.Equal(ChatRole.Assistant, response.Messages[2].Role);
        Assert.DoesNotContain(response.Messages[2].Contents, static c => c is FunctionCallContent);

        // The result went back through the template: the answer's prompt held it.
        List<ChatMessage> history = [new(ChatRole.User, "Weather in Paris?"), response.Messages[0], response.Messages[1]];
        string prompt = client.GetService<ChatTemplate>()!.Render(history, new ChatTemplateRenderOptions { Tools = [weather], AddGenerationPrompt = true });
        Assert.True(prompt.Contains("<tool_response>\n{\"temperature\":22}\n</tool_response>", StringComparison.Ordinal), prompt);
        Assert.NotNull(result.Result);
    }

    [SharedFact]
    public async Task Phi4MiniTemplate_GetsTheToolsOnItsSystemMessage()
    {
        string path = await TestModels.CopyAsync();
        File.Copy(SharedData.PathOf("conformance", "chat-templates", "phi-4-mini-instruct.jinja"), Path.Combine(path, "chat_template.jinja"));
        using OnnxChatClient client = await OnnxChatClient.CreateAsync(path);
        Assert.Equal(ToolCallFormat.Phi4Mini, client.ToolCallFormat);
        var user = new ChatMessage(ChatRole.User, "Weather in Paris?");

        ChatResponse response = await client.GetResponseAsync([user], new ChatOptions { Tools = [Weather], MaxOutputTokens = 1 });

        string expected = "<|system|><|tool|>[{\"name\":\"get_weather\",\"description\":\"Get the current weather for a city.\",\"parameters\":{\"city\":{\"type\":\"string\"}}}]<|/tool|><|end|><|user|>Weather in Paris?<|end|><|assistant|>";
        Assert.Equal(client.Model.Tokenizer!.EncodeToIds(expected, addSpecialTokens: false).Count, response.Usage!.InputTokenCount);
        Assert.Null(user.AdditionalProperties);
    }

    private static async Task<OnnxChatClient> CreateForcingClientAsync(string forcedText)
    {
        var client = await OnnxChatClient.CreateAsync(await TestModels.LlamaAsync());
        int[] tokens = [.. client.Model.Tokenizer!.EncodeToIds(forcedText, addSpecialTokens: false)];
        int end = client.Model.Tokenizer.TokenToId("<|im_end|>")!.Value;

        // Only requests that require a call are forced, as the coordinator's constrained decoding will do.
        client.ToolCallEnforcer = (syntax, options) =>
            options.ToolMode is RequiredChatToolMode && syntax.Format == ToolCallFormat.Hermes ? new ForcedTextProcessor(tokens, end) : null;
        return client;
    }
}
