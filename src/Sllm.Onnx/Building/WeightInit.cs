namespace Sllm.Onnx.Building;

/// <summary>What a Hugging Face tensor holds when no <see cref="IModelWeightSource"/> supplies it.</summary>
internal enum WeightInit
{
    /// <summary>Seeded uniform noise with standard deviation <see cref="ModelBuilderOptions.WeightInitScale"/>.</summary>
    Random,

    /// <summary>All ones: RMSNorm gains, so an untrained norm is the identity scale.</summary>
    Ones,
}
