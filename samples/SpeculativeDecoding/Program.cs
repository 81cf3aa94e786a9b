// Speeds up copy-heavy answers with prompt lookup: the same request, plain and speculative, with identical text.
//   dotnet run --project samples/SpeculativeDecoding -- [MODEL_DIR]
// MODEL_DIR is an ONNX Runtime GenAI model folder. Without it the sample writes ModelBuilderOptions.Copying(): a 19 M
// parameter model hand-wired to copy spans of its context (it repeats, it does not follow instructions: here it repeats
// its earlier answer, starting from the previous assistant turn), the behaviour prompt lookup bets on. A trained model
// rewrites more, so expect a smaller speed-up from it.
using System.Diagnostics;
using Microsoft.Extensions.AI;
using Sllm.Onnx;
using Sllm.Onnx.Building;

string modelDir = args.Length > 0 ? args[0] : await BuildCopyingModelAsync();
using OnnxChatClient client = await OnnxChatClient.CreateAsync(modelDir, new OnnxChatClientOptions { PrefixCacheMaxBytes = 0 });

const string Document =
    "The quarterly report shows that revenue grew by twelve percent while costs stayed flat. The team shipped the new "
    + "search feature in March, fixed the login bug in April, and started the migration to the new database in May.";

// An edit of an earlier answer: a model repeats most of it, and prompt lookup proposes exactly those repeats.
List<ChatMessage> request =
[
    new(ChatRole.User, "Draft a two-sentence quarterly update."),
    new(ChatRole.Assistant, Document),
    new(ChatRole.User, "Repeat your draft word for word, fixing any typos."),
];
var plainOptions = new ChatOptions { MaxOutputTokens = 160, Temperature = 0f };

// The first request loads and warms up the model; the two timed ones differ only in speculation.
await client.GetResponseAsync(request, plainOptions);
(ChatResponse plain, TimeSpan plainTime) = await TimeAsync(() => client.GetResponseAsync(request, plainOptions));
(ChatResponse fast, TimeSpan fastTime) = await TimeAsync(() => client.GetResponseAsync(request, plainOptions.Clone().WithPromptLookup()));

Console.WriteLine($"answer: {plain.Text.ReplaceLineEndings(" ")}");
Console.WriteLine($"plain:         {plainTime.TotalMilliseconds,7:F1} ms for {plain.Usage?.OutputTokenCount} tokens");
Console.WriteLine($"prompt lookup: {fastTime.TotalMilliseconds,7:F1} ms for {fast.Usage?.OutputTokenCount} tokens ({plainTime / fastTime:F1}x)");
AdditionalPropertiesDictionary<long>? counts = fast.Usage?.AdditionalCounts;
Console.WriteLine($"accepted {counts?["speculative.accepted_tokens"]} of {counts?["speculative.drafted_tokens"]} drafted tokens in {counts?["speculative.verification_passes"]} verification passes");
Console.WriteLine(plain.Text == fast.Text ? "identical text: speculation changed only the speed" : "DIFFERENT TEXT: please report this as a bug");

static async Task<(ChatResponse Response, TimeSpan Elapsed)> TimeAsync(Func<Task<ChatResponse>> run)
{
    long start = Stopwatch.GetTimestamp();
    ChatResponse response = await run();
    return (response, Stopwatch.GetElapsedTime(start));
}

// Written every run (a second or two), so the model always matches this SDK's builder.
static async Task<string> BuildCopyingModelAsync()
{
    string directory = Path.Combine(Path.GetTempPath(), "sllm-speculative-sample");
    Console.WriteLine($"writing a copying model to {directory} ...");
    await OnnxModelBuilder.BuildAsync(directory, ModelBuilderOptions.Copying());
    return directory;
}
