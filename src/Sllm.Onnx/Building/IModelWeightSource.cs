namespace Sllm.Onnx.Building;

/// <summary>Supplies a built model's weights by their Hugging Face names, in Hugging Face layout.</summary>
/// <remarks>
/// <para>
/// Names are those of a Llama-style <c>transformers</c> checkpoint: <c>model.embed_tokens.weight</c> [vocab, hidden];
/// per layer <c>model.layers.{i}.self_attn.{q,k,v,o}_proj.weight</c> ([out, in]: q [heads·head_size, hidden], k and v
/// [kv_heads·head_size, hidden], o [hidden, heads·head_size]), <c>model.layers.{i}.self_attn.{q,k,v}_proj.bias</c>
/// when the model has attention biases, <c>model.layers.{i}.mlp.{gate,up}_proj.weight</c> [intermediate, hidden],
/// <c>model.layers.{i}.mlp.down_proj.weight</c> [hidden, intermediate], <c>model.layers.{i}.input_layernorm.weight</c>
/// and <c>model.layers.{i}.post_attention_layernorm.weight</c> [hidden]; <c>model.norm.weight</c> [hidden];
/// <c>lm_head.weight</c> [vocab, hidden] unless the embeddings are tied. Phi-3's fused <c>qkv_proj</c> and
/// <c>gate_up_proj</c> are asked for as their split parts under these names. The builder transposes and packs them
/// into ONNX MatMul orientation itself.
/// </para>
/// <para>
/// The builder calls <see cref="TryGetWeight"/> from one thread at a time, once per tensor, in graph order. The
/// destination buffer belongs to the builder and is valid only during the call.
/// </para>
/// </remarks>
public interface IModelWeightSource
{
    /// <summary>Fills a tensor, or declines so the builder uses its seeded default.</summary>
    /// <param name="name">The Hugging Face tensor name, for example <c>model.layers.0.self_attn.q_proj.weight</c>.</param>
    /// <param name="shape">The tensor's shape in Hugging Face layout.</param>
    /// <param name="destination">Receives the values in row-major order over <paramref name="shape"/>; its length is the product of the shape.</param>
    /// <returns><see langword="true"/> when <paramref name="destination"/> was filled; <see langword="false"/> for the default (seeded noise, or ones for norm gains).</returns>
    bool TryGetWeight(string name, ReadOnlySpan<int> shape, Span<float> destination);
}
