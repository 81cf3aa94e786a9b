using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Sllm.Onnx.Engine;
using Xunit;

namespace Sllm.Onnx.Speculation;

/// <summary>Speculation through the chat client: same text, stop sequences and limits inside accepted runs, usage counts,
/// per-request and configured selection.</summary>
public sealed class ChatSpeculationTests
{
    private static readonly string[] Prompts =
    [
        "Repeat after me: the cat sat on the mat, the cat sat on the mat.",
        "Summarize: Sllm runs small language models on ONNX Runtime in .NET.",
        "Answer from the document. Document: the meeting is at noon in room 4. Question: when is the meeting?",
        "Count: one two three one two three one two three",
        "Hello!",
    ];

    [Theory]
    [InlineData(SpeculationMode.PromptLookup)]
    [InlineData(SpeculationMode.DraftModel)]
    public async Task Chat_text_is_identical_with_speculation_and_usage_reports_the_counts(SpeculationMode mode)
    {
        using OnnxChatClient client = await OnnxChatClient.CreateAsync(await TestModels.LlamaAsync());
        SpeculativeDecodingOptions speculation = await OptionsAsync(mode);
        long drafted = 0;
        foreach (string prompt in Prompts)
        {
            var plainOptions = new ChatOptions { Temperature = 0f, MaxOutputTokens = 40 };
            ChatResponse plain = await client.GetResponseAsync(prompt, plainOptions);
            ChatResponse fast = await client.GetResponseAsync(prompt, new ChatOptions { Temperature = 0f, MaxOutputTokens = 40 }.WithSpeculation(speculation));
            Assert.Equal(plain.Text, fast.Text);
            Assert.Equal(plain.FinishReason, fast.FinishReason);
            Assert.Equal(plain.Usage!.OutputTokenCount, fast.Usage!.OutputTokenCount);
            Assert.Null(plain.Usage.AdditionalCounts);
            AdditionalPropertiesDictionary<long> counts = fast.Usage.AdditionalCounts!;
            Assert.True(counts["speculative.accepted_tokens"] <= counts["speculative.drafted_tokens"]);
            Assert.True(counts.ContainsKey("speculative.verification_passes"));
            drafted += counts["speculative.drafted_tokens"];
        }

        Assert.True(drafted > 0);
    }

    [Theory]
    [InlineData(6)]
    [InlineData(13)]
    [InlineData(25)]
    public async Task A_stop_sequence_inside_an_accepted_run_ends_the_response_there(int stopAt)
    {
        using OnnxChatClient client = await OnnxChatClient.CreateAsync(await TestModels.LlamaAsync());
        using OnnxModel twin = await TestModels.LoadAsync(await TestModels.LlamaAsync());
        string text = (await client.GetResponseAsync(Prompts[0], new ChatOptions { Temperature = 0f, MaxOutputTokens = 40 })).Text;
        int start = Math.Min(stopAt, text.Length - 4);
        string stop = text.Substring(start, 3);
        var plainOptions = new ChatOptions { Temperature = 0f, MaxOutputTokens = 40, StopSequences = [stop] };
        ChatResponse plain = await client.GetResponseAsync(Prompts[0], plainOptions);

        // A twin draft is always right, so the stop lands inside a long accepted run.
        var speculation = new SpeculativeDecodingOptions { Mode = SpeculationMode.DraftModel, DraftModel = twin, InitialDraftTokens = 8 };
        ChatResponse fast = await client.GetResponseAsync(Prompts[0], new ChatOptions { Temperature = 0f, MaxOutputTokens = 40, StopSequences = [stop] }.WithSpeculation(speculation));
        Assert.Equal(plain.Text, fast.Text);
        Assert.Equal(ChatFinishReason.Stop, fast.FinishReason);
        Assert.DoesNotContain(stop, fast.Text, StringComparison.Ordinal);
        Assert.Equal(plain.Usage!.OutputTokenCount, fast.Usage!.OutputTokenCount);
    }

    [Fact]
    public async Task Client_default_applies_and_a_request_can_turn_it_off()
    {
        using OnnxModel twin = await TestModels.LoadAsync(await TestModels.LlamaAsync());
        var clientOptions = new OnnxChatClientOptions
        {
            Speculation = new SpeculativeDecodingOptions { Mode = SpeculationMode.DraftModel, DraftModel = twin },
        };
        using OnnxChatClient client = await OnnxChatClient.CreateAsync(await TestModels.LlamaAsync(), clientOptions);
        ChatResponse on = await client.GetResponseAsync(Prompts[1], new ChatOptions { Temperature = 0f, MaxOutputTokens = 30 });
        ChatResponse off = await client.GetResponseAsync(Prompts[1], new ChatOptions { Temperature = 0f, MaxOutputTokens = 30 }.WithoutSpeculation());
        Assert.Equal(off.Text, on.Text);
        Assert.Null(off.Usage!.AdditionalCounts);
        Assert.True(on.Usage!.AdditionalCounts!["speculative.accepted_tokens"] > 10);
    }

    [Fact]
    public async Task Draft_model_path_loads_once_and_speculation_binds_from_configuration()
    {
        string path = await TestModels.LlamaAsync();
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Chat:ModelPath"] = path,
            ["Chat:Speculation:Mode"] = "DraftModel",
            ["Chat:Speculation:DraftModelPath"] = await SpeculationHarness.SmallDraftAsync(),
            ["Chat:Speculation:MaxDraftTokens"] = "6",
            ["Chat:Speculation:MinAcceptanceRate"] = "0",
        }).Build();
        var services = new ServiceCollection();
        services.AddSllmOnnxChatClient(configuration.GetSection("Chat"));
        await using ServiceProvider provider = services.BuildServiceProvider();
        IChatClient client = provider.GetRequiredService<IChatClient>();
        for (int i = 0; i < 2; i++)
        {
            ChatResponse response = await client.GetResponseAsync(Prompts[2], new ChatOptions { Temperature = 0f, MaxOutputTokens = 12 });
            Assert.True(response.Usage!.AdditionalCounts!["speculative.verification_passes"] > 0);
        }
    }

    [Fact]
    public async Task Bad_speculation_configuration_names_the_key()
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Chat:ModelPath"] = await TestModels.LlamaAsync(),
            ["Chat:Speculation:Mode"] = "Telepathy",
        }).Build();
        var services = new ServiceCollection();
        services.AddSllmOnnxChatClient(configuration.GetSection("Chat"));
        await using ServiceProvider provider = services.BuildServiceProvider();
        Exception ex = Assert.ThrowsAny<Exception>(() => provider.GetRequiredService<IChatClient>());
        Assert.Contains("Speculation:Mode", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_draft_with_another_vocabulary_is_a_clear_error()
    {
        string other = await TestModels.GetAsync("spec-other-vocab", () =>
        {
            Building.ModelBuilderOptions options = Building.ModelBuilderOptions.Tiny();
            options.VocabSize = 700;
            return options;
        });
        using OnnxChatClient client = await OnnxChatClient.CreateAsync(await TestModels.LlamaAsync());
        var speculation = new SpeculativeDecodingOptions { Mode = SpeculationMode.DraftModel, DraftModelPath = other };
        var ex = await Assert.ThrowsAsync<GenerationException>(() => client.GetResponseAsync("hi", new ChatOptions { MaxOutputTokens = 3 }.WithSpeculation(speculation)));
        Assert.Equal(SllmErrorKind.InvalidModel, ex.Kind);
        Assert.Contains("vocabulary", ex.Message, StringComparison.Ordinal);
    }

    private static async Task<SpeculativeDecodingOptions> OptionsAsync(SpeculationMode mode) => new()
    {
        Mode = mode,
        DraftModelPath = mode == SpeculationMode.DraftModel ? await SpeculationHarness.SmallDraftAsync() : null,
        MinAcceptanceRate = 0,
    };
}
