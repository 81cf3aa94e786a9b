// Streams a chat answer from a local model through Microsoft.Extensions.AI's IChatClient.
//   dotnet run --project samples/QuickStart -- [MODEL_DIR]
// MODEL_DIR is an ONNX Runtime GenAI model folder (genai_config.json, the .onnx decoder, tokenizer files), for example
// one exported with onnxruntime-genai's model builder. Without it the sample writes a small random-weight model with
// Sllm's own builder, so it runs anywhere; its text is noise, but every step of the pipeline is real.
using Microsoft.Extensions.AI;
using Sllm.Onnx;
using Sllm.Onnx.Building;

string modelDir = args.Length > 0 ? args[0] : await BuildDemoModelAsync();

using OnnxChatClient client = await OnnxChatClient.CreateAsync(modelDir);

List<ChatMessage> history =
[
    new(ChatRole.System, "You are terse."),
    new(ChatRole.User, "Hi! What is 2+2?"),
];
var options = new ChatOptions { MaxOutputTokens = 32, Temperature = 0f };

await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync(history, options))
{
    Console.Write(update.Text);
}

Console.WriteLine();

// The non-streaming call returns the same text (greedy decoding), with usage and the finish reason.
ChatResponse response = await client.GetResponseAsync(history, options);
Console.WriteLine($"finish: {response.FinishReason}, usage: {response.Usage?.InputTokenCount} in / {response.Usage?.OutputTokenCount} out");

// A second turn: the client kept the first turn's KV cache, so it prefills only the reply and the new question.
history.AddRange(response.Messages);
history.Add(new ChatMessage(ChatRole.User, "And 3+3?"));
ChatResponse second = await client.GetResponseAsync(history, options);
Console.WriteLine($"turn 2: {second.Usage?.InputTokenCount} prompt tokens, {second.Usage?.CachedInputTokenCount} reused from the prefix cache");

static async Task<string> BuildDemoModelAsync()
{
    string dir = Path.Combine(Path.GetTempPath(), "sllm-quickstart-model");
    if (!File.Exists(Path.Combine(dir, GenAIConfig.FileName)))
    {
        ModelBuilderOptions options = ModelBuilderOptions.Tiny(ModelFamily.Qwen2);
        options.ContextLength = 2048;
        await OnnxModelBuilder.BuildAsync(dir, options);
    }

    return dir;
}
