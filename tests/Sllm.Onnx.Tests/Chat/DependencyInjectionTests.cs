using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Sllm.Onnx.Engine;
using Xunit;

namespace Sllm.Onnx.Chat;

/// <summary>AddSllmOnnxChatClient registers IChatClient, composes with MEAI middleware, binds and validates options.</summary>
public sealed class DependencyInjectionTests
{
    [Fact]
    public async Task Registers_an_IChatClient_that_composes_with_middleware()
    {
        string path = await TestModels.LlamaAsync();
        var services = new ServiceCollection();
        services.AddLogging();
        ChatClientBuilder builder = services.AddSllmOnnxChatClient(path, o => o.DefaultMaxOutputTokens = 3).UseLogging().UseFunctionInvocation();
        Assert.NotNull(builder);
        await using ServiceProvider provider = services.BuildServiceProvider();
        IChatClient client = provider.GetRequiredService<IChatClient>();
        Assert.IsNotType<OnnxChatClient>(client);
        OnnxChatClient inner = Assert.IsType<OnnxChatClient>(client.GetService<OnnxChatClient>());
        Assert.Equal(path, inner.Model.Directory);
        ChatResponse response = await client.GetResponseAsync("hello");
        Assert.Equal(3, response.Usage?.OutputTokenCount);
        Assert.Same(client, provider.GetRequiredService<IChatClient>());
    }

    [Fact]
    public async Task Keyed_registration_resolves_by_key()
    {
        string path = await TestModels.LlamaAsync();
        var services = new ServiceCollection();
        services.AddKeyedSllmOnnxChatClient("small", path, o => o.ModelId = "small-model");
        await using ServiceProvider provider = services.BuildServiceProvider();
        IChatClient client = provider.GetRequiredKeyedService<IChatClient>("small");
        Assert.Equal("small-model", client.GetService<ChatClientMetadata>()?.DefaultModelId);
        Assert.Null(provider.GetService<IChatClient>());
    }

    [Fact]
    public async Task Options_bind_from_configuration()
    {
        string path = await TestModels.LlamaAsync();
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Chat:ModelPath"] = path,
            ["Chat:ModelId"] = "configured",
            ["Chat:DefaultMaxOutputTokens"] = "2",
            ["Chat:StopSequences:0"] = "zzz",
            ["Chat:Model:MaxLength"] = "128",
            ["Chat:Model:ExecutionProviders:0"] = "cpu",
            ["Chat:ToolCallFormat"] = "llama3",
        }).Build();
        var services = new ServiceCollection();
        services.AddSllmOnnxChatClient(configuration.GetSection("Chat"));
        await using ServiceProvider provider = services.BuildServiceProvider();
        var client = (OnnxChatClient)provider.GetRequiredService<IChatClient>();
        Assert.Equal("configured", client.ModelId);
        Assert.Equal(128, client.Model.MaxLength);
        Assert.Equal(ToolCallFormat.Llama3, client.ToolCallFormat);
        Assert.Equal(2, (await client.GetResponseAsync("hi")).Usage?.OutputTokenCount);
    }

    [Fact]
    public async Task Bad_options_fail_when_the_host_starts()
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Services.AddSllmOnnxChatClient(Path.Combine(Path.GetTempPath(), "no-model-" + Guid.NewGuid().ToString("N")));
        using IHost host = builder.Build();
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("genai_config.json", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_numbers_fail_validation_naming_the_option()
    {
        string path = await TestModels.LlamaAsync();
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Services.AddSllmOnnxChatClient(path, o => o.DefaultMaxOutputTokens = 0);
        using IHost host = builder.Build();
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("DefaultMaxOutputTokens", ex.Message, StringComparison.Ordinal);
    }
}
