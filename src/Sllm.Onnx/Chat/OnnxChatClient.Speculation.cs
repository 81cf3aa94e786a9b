using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using Sllm.Generation;

namespace Sllm.Onnx;

public sealed partial class OnnxChatClient
{
    private readonly ConcurrentDictionary<string, Lazy<Task<OnnxModel>>> draftModels = new(StringComparer.Ordinal);

    /// <summary>Creates the request's speculation (its own setting, else the client's), or <see langword="null"/> when off.</summary>
    private async Task<SpeculationSession?> CreateSpeculationAsync(Generator generator, ChatOptions? chatOptions, ChatRequest request, CancellationToken cancellationToken)
    {
        SpeculativeDecodingOptions? speculation = chatOptions.GetSpeculation() ?? options.Speculation;
        if (speculation is null || speculation.Mode == SpeculationMode.None)
        {
            return null;
        }

        speculation.Validate();
        IDraftProvider provider = speculation.Mode switch
        {
            SpeculationMode.PromptLookup => new PromptLookupDraftProvider(speculation.MinNgramSize, speculation.MaxNgramSize),
            SpeculationMode.DraftModel => new DraftModelProvider(
                speculation.DraftModel ?? await LoadDraftModelAsync(speculation.DraftModelPath!, cancellationToken).ConfigureAwait(false),
                Model,
                generator.MaxLength,
                turnEndTokens,
                request.Sampling.RepetitionPenalty),
            _ => speculation.DraftProviderFactory!() ?? throw new InvalidOperationException("SpeculativeDecodingOptions.DraftProviderFactory returned null."),
        };
        try
        {
            return new SpeculationSession(new SpeculativeDecoder(generator, provider, speculation), provider);
        }
        catch
        {
            (provider as IDisposable)?.Dispose();
            throw;
        }
    }

    private Task<OnnxModel> LoadDraftModelAsync(string path, CancellationToken cancellationToken)
    {
        // Loaded once per client and path; a failed load is forgotten so a later request may retry.
        Lazy<Task<OnnxModel>> lazy = draftModels.GetOrAdd(Path.GetFullPath(path), p => new Lazy<Task<OnnxModel>>(() => OnnxModel.CreateAsync(p, options.Model, CancellationToken.None)));
        Task<OnnxModel> load = lazy.Value;
        if (load.IsFaulted)
        {
            draftModels.TryRemove(new KeyValuePair<string, Lazy<Task<OnnxModel>>>(Path.GetFullPath(path), lazy));
        }

        return load.WaitAsync(cancellationToken);
    }

    private void DisposeDraftModels()
    {
        foreach (Lazy<Task<OnnxModel>> lazy in draftModels.Values)
        {
            if (lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully)
            {
                lazy.Value.Result.Dispose();
            }
        }

        draftModels.Clear();
    }

    private static int PlainStep(Generator generator, CancellationToken cancellationToken)
    {
        generator.GenerateNextToken(cancellationToken);
        return 1;
    }
}
