namespace Sllm.Onnx.Building;

/// <summary>The decoder-only model families <see cref="OnnxModelBuilder"/> writes; the name becomes <c>model.type</c> in genai_config.json.</summary>
/// <remarks>
/// All four share ORT GenAI's graph for the CPU execution provider (RMSNorm, grouped-query attention with rotary
/// embeddings, SwiGLU MLP). They differ in defaults: Qwen2 has Q/K/V biases, Mistral may have a sliding window.
/// </remarks>
public enum ModelFamily
{
    /// <summary>Llama (<c>llama</c>): no attention biases.</summary>
    Llama,

    /// <summary>Qwen2 and Qwen2.5 (<c>qwen2</c>): biases on the Q, K and V projections.</summary>
    Qwen2,

    /// <summary>Phi-3 (<c>phi3</c>): the Mistral-style graph ORT GenAI writes for Phi-3 mini.</summary>
    Phi3,

    /// <summary>Mistral (<c>mistral</c>): optionally a sliding attention window.</summary>
    Mistral,
}
