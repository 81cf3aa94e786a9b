// Serves several LoRA adapters from one base model through IChatClient, choosing one per request.
//   dotnet run --project samples/LoraAdapters
// The sample writes a small random-weight base model with LoRA inputs on the attention projections, makes three
// random adapters (in practice: `sllm adapter convert PEFT_DIR --model MODEL_DIR --out FILE.onnx_adapter`), loads them
// into the client's registry and asks the same question with each. The text is noise; the mechanics are real.
using Microsoft.Extensions.AI;
using Sllm.Onnx;
using Sllm.Onnx.Building;
using Sllm.Onnx.Lora;

string root = Path.Combine(Path.GetTempPath(), "sllm-lora-sample");
string modelDir = Path.Combine(root, "model");
ModelBuilderOptions builder = ModelBuilderOptions.Tiny(ModelFamily.Qwen2);
builder.LoraTargets = LoraTargetModules.Attention;
await OnnxModelBuilder.BuildAsync(modelDir, builder);

using OnnxChatClient client = await OnnxChatClient.CreateAsync(modelDir);
string[] names = ["support-tickets", "legal", "poetry"];
for (int i = 0; i < names.Length; i++)
{
    string file = Path.Combine(root, names[i] + OnnxAdapterFile.Extension);
    await RandomAdapter(client.Model, rank: 8, seed: i).WriteAsync(file);
    LoraAdapter adapter = await client.LoadAdapterAsync(names[i], file);
    Console.WriteLine($"loaded {names[i]}: {adapter.Parameters.Count} tensors, {adapter.SizeInBytes:N0} bytes");
}

List<ChatMessage> question = [new(ChatRole.User, "How do I reset my password?")];
ChatResponse baseAnswer = await client.GetResponseAsync(question, new ChatOptions { MaxOutputTokens = 16, Temperature = 0f });
Console.WriteLine($"base model: {OneLine(baseAnswer.Text)}");

// Requests with different adapters may run at the same time; each gets its own adapter's output.
Task<ChatResponse>[] answers = [.. client.Adapters.Names.Select(name =>
    client.GetResponseAsync(question, new ChatOptions { MaxOutputTokens = 16, Temperature = 0f }.WithAdapter(name)))];
await Task.WhenAll(answers);
IReadOnlyList<string> loaded = client.Adapters.Names;
for (int i = 0; i < loaded.Count; i++)
{
    Console.WriteLine($"{loaded[i]}: {OneLine(answers[i].Result.Text)}");
}

client.UnloadAdapter("poetry");
Console.WriteLine($"resident after unload: {string.Join(", ", client.Adapters.Names)}");

static OnnxAdapterFile RandomAdapter(OnnxModel model, int rank, int seed)
{
    // Shapes follow the graph's inputs: A is [in, r] and B is [r, out] for each adapted projection.
    var random = new Random(seed);
    var parameters = new List<LoraParameter>();
    foreach ((string name, IReadOnlyList<int> shape) in model.AdapterInputs)
    {
        bool isA = name.EndsWith(".lora_A.weight", StringComparison.Ordinal);
        long[] dims = isA ? [shape[0], rank] : [rank, shape[1]];
        float[] values = new float[dims[0] * dims[1]];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)(random.NextDouble() - 0.5) * (isA ? 1f : 0.5f);
        }

        parameters.Add(LoraParameter.FromSingles(name, dims, values));
    }

    return new OnnxAdapterFile(parameters);
}

// Random weights produce noise, newlines included; keep each answer on one line.
static string OneLine(string text) => text.ReplaceLineEndings("\\n");
