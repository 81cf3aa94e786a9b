namespace Sllm.Onnx.Building;

/// <summary>What <see cref="OnnxModelBuilder.BuildAsync"/> wrote: the folder, its files and the model's size.</summary>
/// <remarks>Immutable; safe to share between threads.</remarks>
public sealed class ModelBuildResult
{
    internal ModelBuildResult(string outputDirectory, long parameterCount, long totalBytes, int vocabSize, IReadOnlyList<int> eosTokenIds)
    {
        OutputDirectory = outputDirectory;
        ParameterCount = parameterCount;
        TotalBytes = totalBytes;
        VocabSize = vocabSize;
        EosTokenIds = eosTokenIds;
    }

    /// <summary>The graph's file name, as <c>genai_config.json</c> names it.</summary>
    public const string ModelFileName = "model.onnx";

    /// <summary>The external weight file's name, next to the graph.</summary>
    public const string DataFileName = "model.onnx.data";

    /// <summary>Gets the model folder, as a full path.</summary>
    public string OutputDirectory { get; }

    /// <summary>Gets the full path of <c>model.onnx</c>.</summary>
    public string ModelPath => Path.Combine(OutputDirectory, ModelFileName);

    /// <summary>Gets the full path of <c>model.onnx.data</c>.</summary>
    public string DataPath => Path.Combine(OutputDirectory, DataFileName);

    /// <summary>Gets the number of model parameters (tied embeddings counted once; rotary caches not counted).</summary>
    public long ParameterCount { get; }

    /// <summary>Gets the total size of the files written, in bytes.</summary>
    public long TotalBytes { get; }

    /// <summary>Gets the vocabulary size of the model (rows of the embedding table).</summary>
    public int VocabSize { get; }

    /// <summary>Gets the end-of-sequence ids written to genai_config.json.</summary>
    public IReadOnlyList<int> EosTokenIds { get; }
}
