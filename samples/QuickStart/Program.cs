// Loads a model folder's tokenizer and chat template, renders a chat, tokenizes it and streams it back.
//   dotnet run --project samples/QuickStart -- [MODEL_DIR]
// MODEL_DIR is any folder with tokenizer.json + tokenizer_config.json (a Hugging Face or ONNX Runtime GenAI export);
// the default is the small demo tokenizer this repository writes (src/Sllm.Cli/Defaults).
using Microsoft.Extensions.AI;
using Sllm.ChatTemplates;
using Sllm.Tokenization;

string modelDir = args.Length > 0 ? args[0] : Path.Combine(FindRepositoryRoot(), "src", "Sllm.Cli", "Defaults");

HuggingFaceTokenizer tokenizer = await HuggingFaceTokenizer.CreateAsync(modelDir);
ChatTemplate template = await ChatTemplate.LoadAsync(modelDir);

string prompt = template.Render(
    [new ChatMessage(ChatRole.System, "You are terse."), new ChatMessage(ChatRole.User, "Hi! What is 2+2?")],
    new ChatTemplateRenderOptions { AddGenerationPrompt = true });

IReadOnlyList<int> ids = tokenizer.EncodeToIds(prompt, addSpecialTokens: false);
Console.WriteLine(prompt);
Console.WriteLine($"{ids.Count} tokens: [{string.Join(", ", ids)}]");

// Generation produces ids one at a time; the streaming decoder turns them into text without splitting characters.
StreamingDecoder decoder = tokenizer.CreateStreamingDecoder();
using var streamed = new StringWriter();
foreach (int id in ids)
{
    streamed.Write(decoder.Append(id));
}

streamed.Write(decoder.Flush());
Console.WriteLine($"Streamed text equals the prompt: {streamed.ToString() == prompt}");

static string FindRepositoryRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "Sllm.Sdk.sln")))
        {
            return dir.FullName;
        }
    }

    throw new DirectoryNotFoundException("Pass a model folder: the repository's demo tokenizer was not found.");
}
