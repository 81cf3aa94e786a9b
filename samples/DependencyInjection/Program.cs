// Registers a local model as the application's IChatClient with dependency injection and composes middleware.
//   dotnet run --project samples/DependencyInjection -- [MODEL_DIR]
// Options bind from configuration too: set Sllm__Chat__ModelPath (environment) or "Sllm:Chat:ModelPath" (appsettings.json)
// and call AddSllmOnnxChatClient(builder.Configuration.GetSection("Sllm:Chat")) instead.
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sllm.Onnx;
using Sllm.Onnx.Building;

string modelDir = args.Length > 0 ? args[0] : await BuildDemoModelAsync();

HostApplicationBuilder builder = Host.CreateApplicationBuilder();
builder.Logging.SetMinimumLevel(LogLevel.Information);
builder.Services
    .AddSllmOnnxChatClient(modelDir, options =>
    {
        options.DefaultMaxOutputTokens = 32;
        options.Model.MaxLength = 1024;
    })
    .UseFunctionInvocation()
    .UseOpenTelemetry(sourceName: "Sllm.Samples")
    .UseLogging();

using IHost host = builder.Build();
await host.StartAsync();

IChatClient client = host.Services.GetRequiredService<IChatClient>();
ChatResponse response = await client.GetResponseAsync("Name three colours.", new ChatOptions { Temperature = 0f });
Console.WriteLine(response.Text);
Console.WriteLine($"model: {response.ModelId}, finish: {response.FinishReason}, tokens: {response.Usage?.TotalTokenCount}");

// The concrete client and the model stay reachable through GetService.
OnnxModel model = client.GetService<OnnxModel>()!;
Console.WriteLine($"context length {model.ContextLength}, default max length {model.MaxLength}");
await host.StopAsync();

static async Task<string> BuildDemoModelAsync()
{
    string dir = Path.Combine(Path.GetTempPath(), "sllm-di-sample-model");
    if (!File.Exists(Path.Combine(dir, GenAIConfig.FileName)))
    {
        ModelBuilderOptions options = ModelBuilderOptions.Tiny(ModelFamily.Qwen2);
        options.ContextLength = 2048;
        await OnnxModelBuilder.BuildAsync(dir, options);
    }

    return dir;
}
