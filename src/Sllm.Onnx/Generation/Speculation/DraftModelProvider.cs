using Sllm.Generation;

namespace Sllm.Onnx;

/// <summary>Drafts with a smaller model that shares the target's vocabulary: it runs greedily in its own
/// <see cref="Generator"/> (its own KV cache) and proposes its next K tokens.</summary>
/// <remarks>
/// <para>The draft cache is kept in step with the committed sequence: before each proposal the draft generator is rewound
/// to the longest prefix it shares with the sequence (the accepted tokens) and the rest (the target's correction or bonus
/// token, plus anything produced by plain steps) is appended in one pass. A proposal of K tokens costs K draft passes.</para>
/// <para>Proposals are greedy, hence point masses: exact for greedy and sampled targets alike. The draft applies the
/// target's repetition penalty so that greedy drafts follow a penalised target. Not thread-safe; one per request. Owns its
/// generator (dispose the provider), not the draft model.</para>
/// </remarks>
public sealed class DraftModelProvider : IDraftProvider, IDisposable
{
    private readonly OnnxModel draftModel;
    private readonly GeneratorOptions generatorOptions;
    private Generator? draftGenerator;

    /// <summary>Initializes a new instance of the <see cref="DraftModelProvider"/> class.</summary>
    /// <param name="draftModel">The draft model; it must have the target's vocabulary and a rewindable cache.</param>
    /// <param name="targetModel">The target model, to check the vocabularies agree.</param>
    /// <param name="maxLength">The target generator's max length (the draft never needs more).</param>
    /// <param name="eosTokenIds">The end-of-sequence ids the target stops at; <see langword="null"/> for the target's.</param>
    /// <param name="repetitionPenalty">The target's repetition penalty, applied by the greedy draft too.</param>
    /// <exception cref="ArgumentNullException">A model is <see langword="null"/>.</exception>
    /// <exception cref="GenerationException">The vocabularies differ, or the draft cannot rewind (the message names both folders).</exception>
    public DraftModelProvider(OnnxModel draftModel, OnnxModel targetModel, int maxLength, IReadOnlyList<int>? eosTokenIds = null, float repetitionPenalty = 1)
    {
        ArgumentNullException.ThrowIfNull(draftModel);
        ArgumentNullException.ThrowIfNull(targetModel);
        CheckCompatible(draftModel, targetModel);
        this.draftModel = draftModel;
        generatorOptions = new GeneratorOptions
        {
            MaxLength = Math.Min(maxLength, draftModel.ContextLength),
            Sampling = new SamplingOptions { DoSample = false, RepetitionPenalty = repetitionPenalty },
        };
        foreach (int id in eosTokenIds ?? targetModel.EosTokenIds)
        {
            generatorOptions.EosTokenIds.Add(id);
        }
    }

    /// <inheritdoc />
    public bool ProducesDistributions => false;

    /// <summary>Checks that a draft model can serve a target: same vocabulary size, same tokens where both have a
    /// tokenizer, and a rewindable cache.</summary>
    /// <param name="draftModel">The draft model.</param>
    /// <param name="targetModel">The target model.</param>
    /// <exception cref="GenerationException">They are incompatible; the message says how.</exception>
    public static void CheckCompatible(OnnxModel draftModel, OnnxModel targetModel)
    {
        ArgumentNullException.ThrowIfNull(draftModel);
        ArgumentNullException.ThrowIfNull(targetModel);
        string? problem = null;
        if (draftModel.VocabularySize != targetModel.VocabularySize)
        {
            problem = $"its vocabulary has {draftModel.VocabularySize} tokens but the target's ({targetModel.Directory}) has {targetModel.VocabularySize}";
        }
        else if (!draftModel.CanRewind)
        {
            problem = $"'{draftModel.ModelType}' models keep recurrent state that cannot be rewound";
        }
        else if (draftModel.Tokenizer is { } d && targetModel.Tokenizer is { } t)
        {
            int size = Math.Min(d.VocabularySize, t.VocabularySize);
            if (d.VocabularySize != t.VocabularySize)
            {
                problem = $"its tokenizer has {d.VocabularySize} tokens but the target's ({targetModel.Directory}) has {t.VocabularySize}";
            }
            else
            {
                // A full comparison is cheap next to loading a model, and catches re-ordered vocabularies.
                for (int id = 0; id < size && problem is null; id++)
                {
                    if (!string.Equals(d.IdToToken(id), t.IdToToken(id), StringComparison.Ordinal))
                    {
                        problem = $"token {id} is '{d.IdToToken(id)}' in its tokenizer but '{t.IdToToken(id)}' in the target's ({targetModel.Directory})";
                    }
                }
            }
        }

        if (problem is not null)
        {
            throw new GenerationException(
                SllmErrorKind.InvalidModel,
                $"{draftModel.Directory}: cannot serve as a draft model: {problem}. A draft must share the target's tokenizer and vocabulary.",
                draftModel.Directory);
        }
    }

    /// <inheritdoc />
    public void Reset(ReadOnlySpan<int> prompt)
    {
        draftGenerator?.RewindTo(0);
    }

    /// <inheritdoc />
    public int Propose(ReadOnlySpan<int> sequence, Span<int> draft, Span<float> distributions)
    {
        draftGenerator ??= draftModel.CreateGenerator(generatorOptions);
        Generator generator = draftGenerator;
        int count = Math.Min(draft.Length, generator.MaxLength - sequence.Length);
        if (count <= 0 || sequence.IsEmpty)
        {
            return 0;
        }

        // Keep at least the last committed token pending, so the draft always has fresh logits to start from.
        int common = Math.Min(sequence.Length - 1, generator.TokenCount);
        common = sequence[..common].CommonPrefixLength(generator.GetSequence(0)[..common]);
        if (common < generator.TokenCount)
        {
            generator.RewindTo(common);
        }

        generator.AppendTokens(sequence[common..]);
        int produced = 0;
        while (produced < count && !generator.IsDone)
        {
            generator.GenerateNextToken();
            draft[produced++] = generator.GetNextTokens()[0];
        }

        return produced;
    }

    /// <inheritdoc />
    public void Accept(ReadOnlySpan<int> sequence, int acceptedTokens)
    {
        // Propose re-synchronises from the sequence, which also covers plain steps taken in between.
    }

    /// <summary>Releases the draft generator.</summary>
    public void Dispose()
    {
        draftGenerator?.Dispose();
        draftGenerator = null;
    }
}
