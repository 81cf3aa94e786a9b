namespace Sllm.Onnx.Building;

/// <summary>An initializer of the graph: its ONNX name and shape and how to produce its values.</summary>
/// <remarks>Weights are produced one plan at a time while the data file is written, so only one tensor is in memory.</remarks>
internal sealed record WeightPlan(string Name, long[] Dims, WeightLayout Layout, WeightPart[] Parts)
{
    public long ElementCount
    {
        get
        {
            long count = 1;
            foreach (long dim in Dims)
            {
                count *= dim;
            }

            return count;
        }
    }

    /// <summary>Gets a value indicating whether the values are model parameters (counted) rather than derived caches.</summary>
    public bool IsParameter => Layout is WeightLayout.Transposed or WeightLayout.AsIs or WeightLayout.Quantized;
}
