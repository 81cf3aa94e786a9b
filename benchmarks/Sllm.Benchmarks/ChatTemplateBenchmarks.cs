using System.ComponentModel;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;
using Sllm.ChatTemplates;

namespace Sllm.Benchmarks;

/// <summary>
/// The per-request cost of prompt rendering: a six-message conversation with a tool declaration, a tool call and its
/// result, through real templates from the conformance corpus (Hermes-3's requires parameter descriptions). Parsing happens once per model, so it is measured apart.
/// </summary>
[MemoryDiagnoser]
public class ChatTemplateBenchmarks
{
    private static readonly DateTimeOffset FixedNow = new(2024, 7, 26, 0, 0, 0, TimeSpan.Zero);

    private ChatTemplate _template = null!;
    private string _source = string.Empty;
    private ChatMessage[] _messages = [];
    private ChatTemplateRenderOptions _options = null!;

    [Params("qwen2.5-instruct", "llama-3.2-instruct", "hermes-3-llama-3.1-tool-use")]
    public string Template { get; set; } = "qwen2.5-instruct";

    [GlobalSetup]
    public async Task Setup()
    {
        string path = RepositoryPaths.Shared("conformance", "chat-templates", Template + ".jinja");
        _source = await File.ReadAllTextAsync(path);
        _template = await ChatTemplate.LoadAsync(path);
        AIFunction weather = AIFunctionFactory.Create(([Description("The city name.")] string city) => "sunny", "get_weather", "Gets the current weather for a city.");
        var call = new FunctionCallContent("call_1", "get_weather", new Dictionary<string, object?> { ["city"] = "Paris" });
        _messages =
        [
            new(ChatRole.System, "You are a helpful assistant."),
            new(ChatRole.User, "What is the weather like in Paris?"),
            new(ChatRole.Assistant, [call]),
            new(ChatRole.Tool, [new FunctionResultContent("call_1", "sunny, 21 °C")]),
            new(ChatRole.Assistant, "It is sunny and 21 °C in Paris."),
            new(ChatRole.User, "Thanks! And tomorrow?"),
        ];
        _options = new ChatTemplateRenderOptions { AddGenerationPrompt = true, Tools = [weather], TimeProvider = new FixedClock(FixedNow) };
    }

    [Benchmark]
    public int Parse() => ChatTemplate.Parse(_source, Template).Source.Length;

    [Benchmark]
    public int Render() => _template.Render(_messages, _options).Length;

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;

        public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
    }
}
