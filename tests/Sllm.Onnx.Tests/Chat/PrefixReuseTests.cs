using Microsoft.Extensions.AI;
using Sllm.Onnx.Engine;
using Xunit;

namespace Sllm.Onnx.Chat;

/// <summary>Prefix reuse across requests: warm turns prefill only new tokens and answer exactly as a cold client does.</summary>
public sealed class PrefixReuseTests
{
    private static readonly ChatOptions Greedy = new() { Temperature = 0f, MaxOutputTokens = 16 };

    [Fact]
    public async Task Second_turn_prefills_only_the_new_tokens_and_equals_a_cold_run()
    {
        string path = await TestModels.LlamaAsync();
        using OnnxChatClient warm = await OnnxChatClient.CreateAsync(path);
        using OnnxChatClient cold = await OnnxChatClient.CreateAsync(path, new OnnxChatClientOptions { PrefixCacheMaxBytes = 0 });
        for (int conversation = 0; conversation < 6; conversation++)
        {
            List<ChatMessage> history =
            [
                new(ChatRole.System, $"You are assistant number {conversation}. Answer briefly and stay on topic."),
                new(ChatRole.User, $"What is special about the number {conversation * 13}?"),
            ];
            ChatResponse first = await warm.GetResponseAsync(history, Greedy);
            int firstPrompt = (int)first.Usage!.InputTokenCount!;
            history.AddRange(first.Messages);
            history.Add(new ChatMessage(ChatRole.User, "And what about twice that number?"));

            ChatResponse second = await warm.GetResponseAsync(history, Greedy);
            ChatResponse reference = await cold.GetResponseAsync(history, Greedy);

            Assert.Equal(reference.Text, second.Text);
            Assert.Equal(reference.FinishReason, second.FinishReason);
            Assert.Equal(reference.Usage!.InputTokenCount, second.Usage!.InputTokenCount);
            Assert.Equal(0, reference.Usage.CachedInputTokenCount);

            // The whole first prompt is a prefix of the second, so at least that much is reused; the new user turn is not.
            long reused = second.Usage.CachedInputTokenCount!.Value;
            Assert.InRange(reused, firstPrompt, second.Usage.InputTokenCount!.Value - 1);
        }
    }

    [Fact]
    public async Task Repeating_a_request_reuses_all_but_its_last_token()
    {
        using OnnxChatClient client = await OnnxChatClient.CreateAsync(await TestModels.LlamaAsync());
        var options = new ChatOptions { Temperature = 0.9f, Seed = 7, MaxOutputTokens = 12 };
        ChatResponse first = await client.GetResponseAsync("Tell me a story about a lighthouse.", options);
        ChatResponse again = await client.GetResponseAsync("Tell me a story about a lighthouse.", options);
        Assert.Equal(first.Text, again.Text);
        Assert.Equal(0, first.Usage!.CachedInputTokenCount);
        Assert.Equal(first.Usage.InputTokenCount - 1, again.Usage!.CachedInputTokenCount);
    }

    [Fact]
    public async Task Shared_system_prompt_is_reused_by_concurrent_requests_without_changing_answers()
    {
        string path = await TestModels.LlamaAsync();
        using OnnxChatClient warm = await OnnxChatClient.CreateAsync(path);
        using OnnxChatClient cold = await OnnxChatClient.CreateAsync(path, new OnnxChatClientOptions { PrefixCacheMaxBytes = 0 });
        const string system = "You are a support assistant for a bicycle shop. Be concise, friendly and precise about prices.";
        await warm.GetResponseAsync([new(ChatRole.System, system), new(ChatRole.User, "Hello")], Greedy);

        var tasks = new Task<ChatResponse>[8];
        var expected = new string[8];
        for (int i = 0; i < tasks.Length; i++)
        {
            List<ChatMessage> messages = [new(ChatRole.System, system), new(ChatRole.User, $"Question {i}: how much is a tyre of size {20 + i}?")];
            expected[i] = (await cold.GetResponseAsync(messages, Greedy)).Text;
            tasks[i] = Task.Run(() => warm.GetResponseAsync(messages, Greedy));
        }

        ChatResponse[] responses = await Task.WhenAll(tasks);
        long reusedTotal = 0;
        for (int i = 0; i < tasks.Length; i++)
        {
            Assert.Equal(expected[i], responses[i].Text);
            reusedTotal += responses[i].Usage!.CachedInputTokenCount!.Value;
        }

        Assert.True(reusedTotal > 0, "at least the request that found the cached system prompt reuses it");
    }

    [Fact]
    public async Task Disabled_cache_reuses_nothing()
    {
        using OnnxChatClient client = await OnnxChatClient.CreateAsync(await TestModels.LlamaAsync(), new OnnxChatClientOptions { PrefixCacheMaxBytes = 0 });
        await client.GetResponseAsync("Same prompt.", Greedy);
        ChatResponse again = await client.GetResponseAsync("Same prompt.", Greedy);
        Assert.Equal(0, again.Usage!.CachedInputTokenCount);
    }

    [Fact]
    public void Negative_budget_is_rejected_naming_the_option()
    {
        var options = new OnnxChatClientOptions { PrefixCacheMaxBytes = -1 };
        ArgumentOutOfRangeException error = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
        Assert.Equal(nameof(OnnxChatClientOptions.PrefixCacheMaxBytes), error.ParamName);
    }
}
