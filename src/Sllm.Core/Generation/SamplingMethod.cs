namespace Sllm.Generation;

/// <summary>The selection step a <see cref="SamplingOptions"/> resolves to.</summary>
internal enum SamplingMethod
{
    /// <summary>The first highest logit.</summary>
    Greedy,

    /// <summary>A draw from the softmax of the k highest logits.</summary>
    TopK,

    /// <summary>A draw from the nucleus inside the k highest logits.</summary>
    TopKTopP,

    /// <summary>A draw from the nucleus of the whole vocabulary.</summary>
    TopP,

    /// <summary>A draw from the softmax of the whole vocabulary (top-k and top-p both off).</summary>
    Unrestricted,
}
