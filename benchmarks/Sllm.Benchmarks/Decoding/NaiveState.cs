using Microsoft.ML.OnnxRuntime.Tensors;

namespace Sllm.Benchmarks.Decoding;

/// <summary>One sequence of <see cref="NaiveOrtDecoder"/>: its managed KV copies, length and last picked token.</summary>
internal sealed class NaiveState
{
    /// <summary>Gets or sets the past key and value of every layer, [1, kv_heads, length, head_size] each.</summary>
    public DenseTensor<float>[] Past { get; set; } = [];

    /// <summary>Gets or sets the number of positions in <see cref="Past"/>.</summary>
    public int Length { get; set; }

    /// <summary>Gets or sets the token picked from the last run's logits (not yet run through the model).</summary>
    public long NextToken { get; set; }
}
