// Lets a local model call a .NET function through Microsoft.Extensions.AI's UseFunctionInvocation().
//   dotnet run --project samples/ToolCalling -- [MODEL_DIR]
// MODEL_DIR is an ONNX Runtime GenAI model folder of a tool-calling model (Qwen2.5-Instruct, Llama 3.2, Phi-4-mini,
// Mistral, ...). The client detects how the model writes calls, parses them into FunctionCallContent, and the middleware
// runs the function and sends its result back through the model's chat template. Without MODEL_DIR the sample writes a
// small random-weight model: every step is real, but such a model writes noise and will almost never call the tool.
using Microsoft.Extensions.AI;
using Sllm.Onnx;
using Sllm.Onnx.Building;

string modelDir = args.Length > 0 ? args[0] : await BuildDemoModelAsync();

using OnnxChatClient onnx = await OnnxChatClient.CreateAsync(modelDir);
Console.WriteLine($"tool-call format: {onnx.ToolCallFormat}");

using IChatClient client = onnx.AsBuilder().UseFunctionInvocation().Build();

AIFunction weather = AIFunctionFactory.Create(
    (string city) =>
    {
        Console.WriteLine($"[get_weather called for {city}]");
        return new WeatherReport(city, 22, "sunny");
    },
    "get_weather",
    "Gets the current weather for a city.");

var options = new ChatOptions { Tools = [weather], MaxOutputTokens = 128, Temperature = 0f };
await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync("What's the weather in Paris?", options))
{
    foreach (AIContent content in update.Contents)
    {
        switch (content)
        {
            case TextContent text:
                Console.Write(text.Text);
                break;
            case FunctionCallContent call:
                Console.WriteLine($"[model called {call.Name}]");
                break;
        }
    }
}

Console.WriteLine();

static async Task<string> BuildDemoModelAsync()
{
    string dir = Path.Combine(Path.GetTempPath(), "sllm-toolcalling-model");
    if (!File.Exists(Path.Combine(dir, GenAIConfig.FileName)))
    {
        ModelBuilderOptions options = ModelBuilderOptions.Tiny(ModelFamily.Qwen2);
        options.ContextLength = 2048;
        await OnnxModelBuilder.BuildAsync(dir, options);
    }

    return dir;
}

internal sealed record WeatherReport(string City, int TemperatureCelsius, string Condition);
