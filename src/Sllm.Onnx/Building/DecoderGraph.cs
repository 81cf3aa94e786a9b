namespace Sllm.Onnx.Building;

/// <summary>The laid-out decoder: nodes in topological order, the initializers' plans in file order, and the graph's I/O.</summary>
internal sealed record DecoderGraph(List<OnnxNode> Nodes, List<WeightPlan> Weights, List<OnnxValueInfo> Inputs, List<OnnxValueInfo> Outputs)
{
    /// <summary>Gets the small initializers written inside the graph rather than the data file (the empty LoRA defaults).</summary>
    public List<OnnxTensor> InlineInitializers { get; init; } = [];
}
