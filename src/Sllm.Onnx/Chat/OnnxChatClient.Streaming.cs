using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Sllm.ChatTemplates;
using Sllm.Generation;
using Sllm.Tokenization;

namespace Sllm.Onnx;

public sealed partial class OnnxChatClient
{
    /// <inheritdoc />
    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ThrowIfDisposed();
        return StreamAsync([.. messages], options, cancellationToken);
    }

    private async IAsyncEnumerable<ChatResponseUpdate> StreamAsync(
        List<ChatMessage> messages, ChatOptions? chatOptions, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfDisposed();
        ChatRequest request = ChatRequest.Create(Model, options, chatOptions, ModelId);
        string prompt = RenderPrompt(messages, chatOptions, request);
        IReadOnlyList<int> promptIds = Tokenizer.EncodeToIds(prompt, addSpecialTokens: false);
        int maxLength = PlanMaxLength(promptIds.Count, request.MaxOutputTokens);

        string responseId = NewId();
        string messageId = NewId();
        DateTimeOffset createdAt = options.TimeProvider.GetUtcNow();
        var generatorOptions = new GeneratorOptions { MaxLength = maxLength, Sampling = request.Sampling };
        foreach (int id in turnEndTokens)
        {
            generatorOptions.EosTokenIds.Add(id);
        }

        using Generator generator = CreateGenerator(generatorOptions, chatOptions);
        int[] promptArray = promptIds as int[] ?? [.. promptIds];

        // The prompt pass is the long, blocking part; run it off the caller's thread so UI and request threads stay free.
        await Task.Run(() => generator.AppendTokens(promptArray, cancellationToken), cancellationToken).ConfigureAwait(false);

        StreamingDecoder decoder = Tokenizer.CreateStreamingDecoder(skipSpecialTokens: true);
        var stops = new StopSequenceMatcher(request.StopSequences);
        int outputTokens = 0;
        ChatFinishReason finishReason = ChatFinishReason.Length;
        while (!generator.IsDone)
        {
            generator.GenerateNextToken(cancellationToken);
            outputTokens++;
            int token = generator.GetNextTokens()[0];
            if (generator.GetFinishReason(0) == GenerationFinishReason.EndOfSequence)
            {
                finishReason = ChatFinishReason.Stop;
                break;
            }

            string text = stops.Append(decoder.Append(token));
            if (text.Length > 0)
            {
                yield return Update(responseId, messageId, createdAt, new TextContent(text));
            }

            if (stops.IsStopped)
            {
                finishReason = ChatFinishReason.Stop;
                break;
            }

            if (request.MaxOutputTokens is int max && outputTokens >= max)
            {
                break;
            }
        }

        if (!stops.IsStopped)
        {
            string tail = stops.Append(decoder.Flush());
            tail += stops.IsStopped ? string.Empty : stops.Flush();
            if (stops.IsStopped)
            {
                finishReason = ChatFinishReason.Stop;
            }

            if (tail.Length > 0)
            {
                yield return Update(responseId, messageId, createdAt, new TextContent(tail));
            }
        }

        var usage = new UsageDetails
        {
            InputTokenCount = promptIds.Count,
            OutputTokenCount = outputTokens,
            TotalTokenCount = promptIds.Count + outputTokens,
        };
        ChatResponseUpdate final = Update(responseId, messageId, createdAt, new UsageContent(usage));
        final.FinishReason = finishReason;
        yield return final;
    }

    private string RenderPrompt(List<ChatMessage> messages, ChatOptions? chatOptions, ChatRequest request)
    {
        if (chatOptions?.Instructions is { Length: > 0 } instructions)
        {
            messages.Insert(0, new ChatMessage(ChatRole.System, instructions));
        }

        if (options.PromptFormatter is { } formatter)
        {
            return formatter(messages, chatOptions);
        }

        var renderOptions = new ChatTemplateRenderOptions
        {
            AddGenerationPrompt = true,
            TimeProvider = options.TimeProvider,
            Tools = chatOptions?.Tools is { Count: > 0 } tools ? tools : null,
        };
        if (request.TemplateVariables.Count > 0)
        {
            renderOptions.AdditionalVariables = request.TemplateVariables;
        }

        return Model.ChatTemplate!.Render(messages, renderOptions);
    }

    private int PlanMaxLength(int promptTokens, int? maxOutputTokens)
    {
        int limit = maxOutputTokens is int max ? Math.Min(promptTokens + max, Model.ContextLength) : Model.MaxLength;
        if (promptTokens >= limit)
        {
            throw new GenerationException(
                SllmErrorKind.PromptTooLong,
                $"The prompt has {promptTokens} tokens, which leaves no room to generate within {limit} tokens (model max length {Model.MaxLength}, context length {Model.ContextLength}).",
                Model.ModelFile);
        }

        return limit;
    }

    private ChatResponseUpdate Update(string responseId, string messageId, DateTimeOffset createdAt, AIContent content) =>
        new(ChatRole.Assistant, [content])
        {
            ResponseId = responseId,
            MessageId = messageId,
            ModelId = ModelId,
            CreatedAt = createdAt,
        };

    private static string NewId() => Guid.NewGuid().ToString("N");
}
