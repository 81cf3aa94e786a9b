using Microsoft.Extensions.AI;
using Sllm.ChatTemplates;
using Sllm.Onnx.Engine;
using Sllm.Tokenization;
using Xunit;

namespace Sllm.Onnx.Chat;

/// <summary>OnnxChatClient behaviour beyond the shared contract: concurrency at 16, option mapping, template, errors.</summary>
public sealed class OnnxChatClientTests
{
    [Fact]
    public async Task Sixteen_concurrent_requests_each_equal_their_sequential_result()
    {
        using OnnxChatClient client = await OnnxChatClient.CreateAsync(await TestModels.LlamaAsync());
        var options = new ChatOptions { Temperature = 0f, MaxOutputTokens = 24 };
        string[] prompts = new string[16];
        string[] sequential = new string[16];
        for (int i = 0; i < prompts.Length; i++)
        {
            prompts[i] = $"Request {i}: tell me about the number {i * 37}.";
            sequential[i] = (await client.GetResponseAsync(prompts[i], options)).Text;
        }

        Task<ChatResponse>[] concurrent = new Task<ChatResponse>[16];
        for (int i = 0; i < prompts.Length; i++)
        {
            string prompt = prompts[i];
            concurrent[i] = Task.Run(() => client.GetResponseAsync(prompt, options));
        }

        ChatResponse[] responses = await Task.WhenAll(concurrent);
        for (int i = 0; i < prompts.Length; i++)
        {
            Assert.Equal(sequential[i], responses[i].Text);
        }

        Assert.True(new HashSet<string>(sequential).Count > 1, "different prompts should give different answers");
    }

    [Fact]
    public async Task Stop_sequence_split_across_tokens_is_never_emitted()
    {
        using OnnxChatClient client = await OnnxChatClient.CreateAsync(await TestModels.LlamaAsync());
        HuggingFaceTokenizer tokenizer = client.Model.Tokenizer!;
        var options = new ChatOptions { Temperature = 0f, MaxOutputTokens = 40 };
        ChatResponse full = await client.GetResponseAsync("Say something long.", options);
        string text = full.Text;

        // Pick a stop string that starts inside one token and ends inside a later one.
        IReadOnlyList<int> ids = tokenizer.EncodeToIds(text, addSpecialTokens: false);
        string? stop = null;
        int offset = 0;
        for (int i = 2; i + 1 < ids.Count && stop is null; i++)
        {
            string piece = tokenizer.Decode([ids[i]], skipSpecialTokens: true);
            string next = tokenizer.Decode([ids[i + 1]], skipSpecialTokens: true);
            offset = text.IndexOf(piece + next, StringComparison.Ordinal);
            if (piece.Length >= 2 && next.Length >= 1 && offset > 0)
            {
                stop = piece[1..] + next;
            }
        }

        Assert.NotNull(stop);
        int cut = text.IndexOf(stop, StringComparison.Ordinal);
        options.StopSequences = [stop];
        ChatResponse stopped = await client.GetResponseAsync("Say something long.", options);
        Assert.Equal(text[..cut], stopped.Text);
        Assert.Equal(ChatFinishReason.Stop, stopped.FinishReason);

        var streamed = new System.Text.StringBuilder();
        await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync("Say something long.", options))
        {
            streamed.Append(update.Text);
        }

        Assert.Equal(text[..cut], streamed.ToString());
    }

    [Fact]
    public async Task GetService_exposes_the_model_tokenizer_template_and_config()
    {
        using OnnxChatClient client = await OnnxChatClient.CreateAsync(await TestModels.LlamaAsync());
        Assert.Same(client.Model, client.GetService<OnnxModel>());
        Assert.Same(client.Model.Tokenizer, client.GetService<HuggingFaceTokenizer>());
        Assert.Same(client.Model.ChatTemplate, client.GetService<ChatTemplate>());
        Assert.Same(client.Model.Config, client.GetService<GenAIConfig>());
        Assert.Null(client.GetService<OnnxModel>("key"));
    }

    [Fact]
    public async Task Oversize_prompt_is_a_prompt_too_long_error()
    {
        using OnnxChatClient client = await OnnxChatClient.CreateAsync(await TestModels.LlamaAsync());
        string prompt = string.Concat(Enumerable.Repeat("many words here ", 400));
        var ex = await Assert.ThrowsAsync<GenerationException>(() => client.GetResponseAsync(prompt));
        Assert.Equal(SllmErrorKind.PromptTooLong, ex.Kind);
    }

    [Fact]
    public async Task Same_seed_repeats_a_sampled_answer_and_other_seeds_differ()
    {
        using OnnxChatClient client = await OnnxChatClient.CreateAsync(await TestModels.LlamaAsync());
        ChatOptions Options(long seed) => new() { Temperature = 1.5f, TopK = 100, MaxOutputTokens = 20, Seed = seed };
        string a = (await client.GetResponseAsync("Hello", Options(1))).Text;
        string b = (await client.GetResponseAsync("Hello", Options(1))).Text;
        Assert.Equal(a, b);
        var others = new HashSet<string>();
        for (int seed = 2; seed < 6; seed++)
        {
            others.Add((await client.GetResponseAsync("Hello", Options(seed))).Text);
        }

        Assert.Contains(others, o => o != a);
    }

    [Fact]
    public async Task Instructions_and_template_variables_reach_the_prompt()
    {
        var seen = new List<string>();
        var options = new OnnxChatClientOptions
        {
            PromptFormatter = (messages, chatOptions) =>
            {
                string prompt = string.Join("|", messages.Select(m => $"{m.Role}:{m.Text}"));
                seen.Add(prompt);
                return prompt;
            },
        };
        using OnnxChatClient client = await OnnxChatClient.CreateAsync(await TestModels.LlamaAsync(), options);
        await client.GetResponseAsync("hi", new ChatOptions { Instructions = "be brief", MaxOutputTokens = 2 });
        Assert.Equal("system:be brief|user:hi", Assert.Single(seen));
    }
}
