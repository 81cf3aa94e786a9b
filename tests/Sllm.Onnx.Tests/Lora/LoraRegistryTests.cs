using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Sllm.Onnx.Engine;

namespace Sllm.Onnx.Lora;

public sealed class LoraRegistryTests
{
    private static ChatOptions Greedy() => new() { Temperature = 0, MaxOutputTokens = 6 };

    [Fact]
    public async Task LoadListUnloadAndTheirErrors()
    {
        using OnnxChatClient client = await OnnxChatClient.CreateAsync(await LoraTestModels.BaseAsync());
        using TempAdapters files = await TempAdapters.WriteAsync(client.Model, 2);
        Assert.Same(client.Adapters, client.GetService<LoraAdapterRegistry>());

        LoraAdapter first = await client.LoadAdapterAsync("b", files.Paths[0]);
        await client.LoadAdapterAsync("a", files.Paths[1]);
        Assert.Equal(["a", "b"], client.Adapters.Names);
        Assert.True(client.Adapters.TryGet("b", out LoraAdapter? found));
        Assert.Same(first, found);

        await Assert.ThrowsAsync<ArgumentException>(() => client.LoadAdapterAsync("a", files.Paths[0]));
        await Assert.ThrowsAsync<LoraAdapterException>(() => client.LoadAdapterAsync("missing", files.Paths[0] + ".nope"));
        string misfit = files.Paths[0] + ".misfit";
        await new OnnxAdapterFile([LoraParameter.FromSingles("model.layers.0.self_attn.q_proj.lora_A.weight", [8, 1], new float[8])]).WriteAsync(misfit);
        var error = await Assert.ThrowsAsync<LoraAdapterException>(() => client.LoadAdapterAsync("misfit", misfit));
        Assert.Equal("model.layers.0.self_attn.q_proj.lora_A.weight", error.Tensor);
        Assert.Equal(2, client.Adapters.Count);

        var unknown = await Assert.ThrowsAsync<ArgumentException>(() => client.GetResponseAsync("hi", Greedy().WithAdapter("nope")));
        Assert.Contains("'nope'", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("a, b", unknown.Message, StringComparison.Ordinal);

        Assert.True(client.UnloadAdapter("a"));
        Assert.False(client.UnloadAdapter("a"));
        Assert.Equal(["b"], client.Adapters.Names);
        await Assert.ThrowsAsync<ArgumentException>(() => client.GetResponseAsync("hi", Greedy().WithAdapter("a")));
    }

    [Fact]
    public async Task EightResidentAdaptersServeConcurrentRequestsEachWithItsOwnOutput()
    {
        using OnnxChatClient client = await OnnxChatClient.CreateAsync(await LoraTestModels.BaseAsync());
        using TempAdapters files = await TempAdapters.WriteAsync(client.Model, 8);
        for (int i = 0; i < 8; i++)
        {
            await client.LoadAdapterAsync($"adapter-{i}", files.Paths[i]);
        }

        // Expected outputs from a client without prefix reuse: the caching client must not serve one adapter's KV to another.
        using OnnxChatClient cold = new(client.Model, options: new OnnxChatClientOptions { PrefixCacheMaxBytes = 0 });
        var sequential = new string[8];
        for (int i = 0; i < 8; i++)
        {
            await cold.LoadAdapterAsync($"adapter-{i}", files.Paths[i]);
            sequential[i] = (await cold.GetResponseAsync("Tell me a story", Greedy().WithAdapter($"adapter-{i}"))).Text;
            Assert.Equal(sequential[i], (await client.GetResponseAsync("Tell me a story", Greedy().WithAdapter($"adapter-{i}"))).Text);
        }

        string baseText = (await cold.GetResponseAsync("Tell me a story", Greedy())).Text;
        Assert.Equal(baseText, (await client.GetResponseAsync("Tell me a story", Greedy())).Text);
        Assert.True(sequential.Distinct().Count() >= 4, string.Join(" | ", sequential));
        Assert.Contains(sequential, text => text != baseText);

        // Two rounds of all eight at once, interleaved with the base model.
        var tasks = new List<Task<(int Index, string Text)>>();
        for (int round = 0; round < 2; round++)
        {
            for (int i = 0; i < 8; i++)
            {
                int index = i;
                tasks.Add(Task.Run(async () => (index, (await client.GetResponseAsync("Tell me a story", Greedy().WithAdapter($"adapter-{index}"))).Text)));
            }

            tasks.Add(Task.Run(async () => (-1, (await client.GetResponseAsync("Tell me a story", Greedy())).Text)));
        }

        foreach ((int index, string text) in await Task.WhenAll(tasks))
        {
            Assert.Equal(index < 0 ? baseText : sequential[index], text);
        }
    }

    [Fact]
    public async Task UnloadingAnAdapterDuringAStreamingRequestLetsItFinishWithTheAdapter()
    {
        using OnnxChatClient client = await OnnxChatClient.CreateAsync(await LoraTestModels.BaseAsync());
        using TempAdapters files = await TempAdapters.WriteAsync(client.Model, 1);
        await client.LoadAdapterAsync("x", files.Paths[0]);
        string expected = (await client.GetResponseAsync("hello", Greedy().WithAdapter("x"))).Text;

        var text = new System.Text.StringBuilder();
        bool unloaded = false;
        await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync("hello", Greedy().WithAdapter("x")))
        {
            if (!unloaded)
            {
                Assert.True(client.UnloadAdapter("x"));
                unloaded = true;
            }

            text.Append(update.Text);
        }

        Assert.Equal(expected, text.ToString());
        Assert.Equal(0, client.Adapters.Count);
    }

    [Fact]
    public async Task AdaptersAndTheDefaultBindFromConfiguration()
    {
        string path = await LoraTestModels.BaseAsync();
        using OnnxModel model = await TestModels.LoadAsync(path);
        using TempAdapters files = await TempAdapters.WriteAsync(model, 2);
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Chat:ModelPath"] = path,
            ["Chat:Adapters:support-tickets"] = files.Paths[0],
            ["Chat:Adapters:legal"] = files.Paths[1],
            ["Chat:DefaultAdapter"] = "legal",
        }).Build();
        var services = new ServiceCollection();
        services.AddSllmOnnxChatClient(configuration.GetSection("Chat"));
        await using ServiceProvider provider = services.BuildServiceProvider();
        var client = (OnnxChatClient)provider.GetRequiredService<IChatClient>();

        Assert.Equal(["legal", "support-tickets"], client.Adapters.Names);
        string byDefault = (await client.GetResponseAsync("hi", Greedy())).Text;
        Assert.Equal((await client.GetResponseAsync("hi", Greedy().WithAdapter("legal"))).Text, byDefault);
        using OnnxChatClient plain = new(model);
        Assert.Equal((await plain.GetResponseAsync("hi", Greedy())).Text, (await client.GetResponseAsync("hi", Greedy().WithBaseModel())).Text);
    }

    [Fact]
    public async Task MissingAdapterFilesAndAnUnknownDefaultFailValidation()
    {
        string path = await LoraTestModels.BaseAsync();
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Services.AddSllmOnnxChatClient(path, o => o.Adapters["x"] = Path.Combine(Path.GetTempPath(), "none.onnx_adapter"));
        using (IHost host = builder.Build())
        {
            var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
            Assert.Contains("Adapters:x", ex.Message, StringComparison.Ordinal);
        }

        var options = new OnnxChatClientOptions { DefaultAdapter = "y" };
        Assert.Throws<ArgumentException>(options.Validate);
    }

    [Fact]
    public async Task TheAdapterKeyIsNotATemplateVariable()
    {
        using OnnxModel model = await TestModels.LoadAsync(await LoraTestModels.BaseAsync());
        var options = new ChatOptions { AdditionalProperties = new() { ["custom"] = 1 } }.WithAdapter("x");
        ChatRequest request = ChatRequest.Create(model, new OnnxChatClientOptions(), options, "m");
        Assert.Equal(["custom"], request.TemplateVariables.Keys);
        Assert.Equal("x", options.GetAdapter());
        Assert.Equal(string.Empty, new ChatOptions().WithBaseModel().GetAdapter());
        Assert.Null(new ChatOptions().GetAdapter());
    }

    private sealed class TempAdapters : IDisposable
    {
        private readonly string directory = Path.Combine(Path.GetTempPath(), "sllm-lora-adapters", Guid.NewGuid().ToString("N"));

        public List<string> Paths { get; } = [];

        public static async Task<TempAdapters> WriteAsync(OnnxModel model, int count)
        {
            var adapters = new TempAdapters();
            Directory.CreateDirectory(adapters.directory);
            for (int i = 0; i < count; i++)
            {
                string file = Path.Combine(adapters.directory, $"a{i}.onnx_adapter");
                await LoraTestModels.RandomAdapter(model, rank: 2 + i, seed: 100 + i, bScale: 1f).WriteAsync(file);
                adapters.Paths.Add(file);
            }

            return adapters;
        }

        public void Dispose() => Directory.Delete(directory, recursive: true);
    }
}
