using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;
using Sllm.Benchmarks.Decoding;
using Sllm.Onnx;

namespace Sllm.Benchmarks.PrefixReuse;

/// <summary>
/// Time to first token of the second turn of a long chat on the Qwen2.5-0.5B-shaped model: a client whose prefix cache
/// kept the first turn (it prefills only the assistant's reply and the new question) against one with the cache off
/// (it prefills the whole history), in one run on one loaded model.
/// </summary>
/// <remarks>
/// Each warm iteration starts from a fresh client on which an untimed <c>[IterationSetup]</c> ran the first turn, so the
/// cache holds exactly what a real chat leaves behind: the first prompt and the greedy reply. Both benchmarks then ask for
/// one output token, so the time is the prefill plus one pick. The global setup checks both answer the same token and
/// prints how many prompt tokens the warm turn reused.
/// </remarks>
[DecodeJob(warmupCount: 1, iterationCount: 6)]
public class PrefixReuseBenchmarks
{
    private static readonly ChatOptions FirstTurnOptions = new() { Temperature = 0f, MaxOutputTokens = 32 };
    private static readonly ChatOptions OneToken = new() { Temperature = 0f, MaxOutputTokens = 1 };

    private OnnxModel? _model;
    private OnnxChatClient? _cold;
    private OnnxChatClient? _warm;
    private List<ChatMessage> _firstTurn = [];
    private List<ChatMessage> _secondTurn = [];

    [GlobalSetup]
    public void Setup()
    {
        _model = OnnxModel.CreateAsync(DecodeModels.Ensure(DecodeModels.QwenHalfB), new OnnxModelOptions { IntraOpNumThreads = 2 }).GetAwaiter().GetResult();
        _cold = new OnnxChatClient(_model, options: new OnnxChatClientOptions { PrefixCacheMaxBytes = 0 });
        _firstTurn = LongChat();
        ChatResponse reply = _cold.GetResponseAsync(_firstTurn, FirstTurnOptions).GetAwaiter().GetResult();
        _secondTurn = [.. _firstTurn, .. reply.Messages, new ChatMessage(ChatRole.User, "Thanks. Now list the three main points again, briefly.")];

        PrimeWarm();
        ChatResponse warm = Ask(_warm!);
        ChatResponse cold = Ask(_cold);
        if (warm.Text != cold.Text)
        {
            throw new InvalidOperationException($"Warm and cold second turns disagree: '{warm.Text}' vs '{cold.Text}'.");
        }

        BenchmarkNotes.Write($"Second turn: {cold.Usage!.InputTokenCount} prompt tokens; warm reused {warm.Usage!.CachedInputTokenCount}, prefilled {warm.Usage.InputTokenCount - warm.Usage.CachedInputTokenCount}.");
    }

    [IterationSetup(Target = nameof(WarmSecondTurn))]
    public void PrimeWarm()
    {
        _warm?.Dispose();
        _warm = new OnnxChatClient(_model!);
        _warm.GetResponseAsync(_firstTurn, FirstTurnOptions).GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true)]
    public ChatResponse ColdSecondTurn() => Ask(_cold!);

    [Benchmark]
    public ChatResponse WarmSecondTurn() => Ask(_warm!);

    [GlobalCleanup]
    public void Cleanup()
    {
        _warm?.Dispose();
        _cold?.Dispose();
        _model?.Dispose();
    }

    private ChatResponse Ask(OnnxChatClient client) => client.GetResponseAsync(_secondTurn, OneToken).GetAwaiter().GetResult();

    private static List<ChatMessage> LongChat()
    {
        // A support conversation with a pasted document: roughly a thousand tokens of history before the new turn.
        var document = new StringBuilder();
        for (int i = 1; i <= 12; i++)
        {
            document.Append("Section ").Append(i).Append(": the service keeps a log of every request, retries failed ")
                .Append("deliveries up to three times, and reports the outcome to the dashboard within a minute. ");
        }

        return
        [
            new(ChatRole.System, "You are a careful assistant. Answer from the document the user provides and say when it does not cover a question."),
            new(ChatRole.User, "Here is our service description:\n" + document),
            new(ChatRole.Assistant, "Thank you, I have read the description. What would you like to know?"),
            new(ChatRole.User, "Summarize how failed deliveries are handled."),
        ];
    }
}
