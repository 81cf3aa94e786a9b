using Microsoft.Extensions.AI;
using Sllm.ChatTemplates;
using Sllm.Tokenization;

namespace Sllm.Onnx;

/// <summary>An <see cref="IChatClient"/> that runs a local ONNX Runtime GenAI model folder with Sllm's own decode loop.</summary>
/// <remarks>
/// <para>Create with <see cref="CreateAsync"/> (or wrap a loaded <see cref="OnnxModel"/>). Each request renders the model's
/// chat template, encodes it without adding special tokens (templates carry their own), and generates with a generator of its
/// own, so concurrent requests on one client are independent and thread-safe. Finished generators stay in a prefix cache
/// (<see cref="OnnxChatClientOptions.PrefixCacheMaxBytes"/>): a request whose prompt starts with a kept sequence prefills only
/// the tokens after it. Generation ends at an end-of-turn token
/// (the config's end-of-sequence ids and the template's turn-end tokens), at a stop sequence (matched on text across token
/// boundaries and never emitted), at <see cref="ChatOptions.MaxOutputTokens"/> or at the model's max length.</para>
/// <para>See <see cref="ChatRequest"/> for how <see cref="ChatOptions"/> maps onto sampling. The client owns the model when it
/// loaded it (or when told so) and disposes it with itself.</para>
/// </remarks>
public sealed partial class OnnxChatClient : IChatClient
{
    private readonly OnnxChatClientOptions options;
    private readonly bool ownsModel;
    private readonly int[] turnEndTokens;
    private readonly PrefixCache? prefixCache;
    private int disposed;

    /// <summary>Creates a client over a loaded model.</summary>
    /// <param name="model">The model; it must have a tokenizer and a chat template (or <see cref="OnnxChatClientOptions.PromptFormatter"/>).</param>
    /// <param name="ownsModel">Whether disposing the client disposes <paramref name="model"/>.</param>
    /// <param name="options">Client options; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> is invalid, or the model has no tokenizer or no chat template.</exception>
    public OnnxChatClient(OnnxModel model, bool ownsModel = false, OnnxChatClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        this.options = options?.Clone() ?? new OnnxChatClientOptions();
        this.options.Validate();
        if (model.Tokenizer is null)
        {
            throw new ArgumentException($"The model at {model.Directory} has no tokenizer.json; a chat client needs one.", nameof(model));
        }

        if (model.ChatTemplate is null && this.options.PromptFormatter is null)
        {
            throw new ArgumentException(
                $"The model at {model.Directory} has no chat template (tokenizer_config.json 'chat_template' or chat_template.jinja); add one or set OnnxChatClientOptions.PromptFormatter.",
                nameof(model));
        }

        Model = model;
        this.ownsModel = ownsModel;
        ModelId = this.options.ModelId ?? Path.GetFileName(model.Directory.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar));
        Metadata = new ChatClientMetadata("sllm-onnx", new Uri(model.Directory + Path.DirectorySeparatorChar), ModelId);
        turnEndTokens = TurnEndTokens.Resolve(model);

        // Models with recurrent state cannot rewind to a shared prefix, so there is nothing to reuse.
        prefixCache = this.options.PrefixCacheMaxBytes > 0 && model.CanRewind ? new PrefixCache(this.options.PrefixCacheMaxBytes) : null;
        LoadConfiguredAdapters();
    }

    /// <summary>Gets the model this client runs.</summary>
    public OnnxModel Model { get; }

    /// <summary>Gets the model id reported in responses.</summary>
    public string ModelId { get; }

    /// <summary>Gets the metadata returned by <see cref="GetService"/>: provider <c>sllm-onnx</c>, the model folder and id.</summary>
    public ChatClientMetadata Metadata { get; }

    /// <summary>Loads a model folder and creates a client that owns it.</summary>
    /// <param name="modelPath">The model folder.</param>
    /// <param name="options">Client and model options; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels loading.</param>
    /// <returns>The client.</returns>
    /// <exception cref="ArgumentException"><paramref name="modelPath"/> is empty or <paramref name="options"/> is invalid.</exception>
    /// <exception cref="ModelLoadException">The folder is missing files, malformed or inconsistent (the message names the file and field).</exception>
    public static async Task<OnnxChatClient> CreateAsync(string modelPath, OnnxChatClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        options?.Validate();
        OnnxModel model = await OnnxModel.CreateAsync(modelPath, options?.Model, cancellationToken).ConfigureAwait(false);
        try
        {
            return new OnnxChatClient(model, ownsModel: true, options);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var text = new System.Text.StringBuilder();
        var contents = new List<AIContent>();
        ChatResponseUpdate? last = null;
        UsageDetails? usage = null;
        await foreach (ChatResponseUpdate update in GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
        {
            foreach (AIContent content in update.Contents)
            {
                switch (content)
                {
                    case TextContent t: text.Append(t.Text); break;
                    case UsageContent u: usage = u.Details; break;
                    case FunctionCallContent call:
                        FlushText(text, contents);
                        contents.Add(call);
                        break;
                }
            }

            last = update;
        }

        FlushText(text, contents);
        if (contents.Count == 0)
        {
            contents.Add(new TextContent(string.Empty));
        }

        var message = new ChatMessage(ChatRole.Assistant, contents)
        {
            MessageId = last?.MessageId,
            CreatedAt = last?.CreatedAt,
        };
        return new ChatResponse(message)
        {
            ResponseId = last?.ResponseId,
            ModelId = ModelId,
            CreatedAt = last?.CreatedAt,
            FinishReason = last?.FinishReason,
            Usage = usage,
        };
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        if (serviceType == typeof(ChatClientMetadata))
        {
            return Metadata;
        }

        if (serviceType.IsInstanceOfType(this))
        {
            return this;
        }

        if (serviceType == typeof(Lora.LoraAdapterRegistry))
        {
            return Adapters;
        }

        if (serviceType.IsInstanceOfType(Model))
        {
            return Model;
        }

        if (Model.Tokenizer is not null && serviceType.IsInstanceOfType(Model.Tokenizer))
        {
            return Model.Tokenizer;
        }

        if (Model.ChatTemplate is not null && serviceType == typeof(ChatTemplate))
        {
            return Model.ChatTemplate;
        }

        return serviceType == typeof(GenAIConfig) ? Model.Config : null;
    }

    /// <summary>Releases the prefix cache, unloads the adapters, and disposes the model if this client owns it.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 0)
        {
            DisposeDraftModels();
            prefixCache?.Dispose();
            Adapters.Dispose();
            if (ownsModel)
            {
                Model.Dispose();
            }
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);

    private HuggingFaceTokenizer Tokenizer => Model.Tokenizer!;
}
