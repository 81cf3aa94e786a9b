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
        var generatorOptions = new GeneratorOptions { Sampling = request.Sampling };
        foreach (int id in turnEndTokens)
        {
            generatorOptions.EosTokenIds.Add(id);
        }

        ResponseFormatConstraint.Apply(generatorOptions, chatOptions, Tokenizer, turnEndTokens);
        AddToolCallEnforcement(generatorOptions, chatOptions);
        int[] promptArray = promptIds as int[] ?? [.. promptIds];
        Generator generator = AcquireGenerator(promptArray, generatorOptions, chatOptions, maxLength, out int reused);
        try
        {
            // The prompt pass is the long, blocking part; run it off the caller's thread so UI and request threads stay free.
            ReadOnlyMemory<int> prefill = promptArray.AsMemory(reused);
            await Task.Run(() => generator.AppendTokens(prefill.Span, cancellationToken), cancellationToken).ConfigureAwait(false);

            using SpeculationSession? speculation = await CreateSpeculationAsync(generator, chatOptions, request, cancellationToken).ConfigureAwait(false);
            StreamingDecoder decoder = Tokenizer.CreateStreamingDecoder(skipSpecialTokens: true);
            var stops = new StopSequenceMatcher(request.StopSequences);
            ToolCallStreamFilter output = CreateOutputFilter(chatOptions);
            int outputTokens = 0;
            ChatFinishReason finishReason = ChatFinishReason.Length;
            int unread = 0, next = 0;
            while (unread > 0 || !generator.IsDone)
            {
                // A speculative step may append several tokens; each goes through the decoder and stop checks below in turn.
                if (unread == 0)
                {
                    next = generator.TokenCount;
                    unread = speculation?.Step(cancellationToken) ?? PlainStep(generator, cancellationToken);
                }

                unread--;
                outputTokens++;
                int token = generator.GetSequence(0)[next++];
                if (unread == 0 && generator.GetFinishReason(0) == GenerationFinishReason.EndOfSequence)
                {
                    finishReason = ChatFinishReason.Stop;
                    break;
                }

                output.Append(stops.Append(DecodeToken(decoder, token, output.ParsesCalls)));
                foreach (AIContent content in output.Ready)
                {
                    yield return Update(responseId, messageId, createdAt, content);
                }

                output.Ready.Clear();
                if (stops.IsStopped)
                {
                    finishReason = ChatFinishReason.Stop;
                    break;
                }

                if ((request.MaxOutputTokens is int max && outputTokens >= max) || next >= maxLength)
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

                output.Append(tail);
            }

            output.Flush();
            foreach (AIContent content in output.Ready)
            {
                yield return Update(responseId, messageId, createdAt, content);
            }

            if (output.CallCount > 0)
            {
                finishReason = ChatFinishReason.ToolCalls;
            }

            var usage = new UsageDetails
            {
                InputTokenCount = promptIds.Count,
                CachedInputTokenCount = reused,
                OutputTokenCount = outputTokens,
                TotalTokenCount = promptIds.Count + outputTokens,
            };
            speculation?.Report(usage);
            ChatResponseUpdate final = Update(responseId, messageId, createdAt, new UsageContent(usage));
            final.FinishReason = finishReason;
            yield return final;
        }
        finally
        {
            ReleaseGenerator(generator);
        }
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
            Tools = ToolsToRender(chatOptions),
        };
        if (request.TemplateVariables.Count > 0)
        {
            renderOptions.AdditionalVariables = request.TemplateVariables;
        }

        AttachMessageTools(messages, renderOptions.Tools);
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
