using Google.Protobuf;

namespace Sllm.Onnx.Building;

/// <summary>An ONNX <c>GraphProto</c>: nodes in topological order, initializers, inputs and outputs.</summary>
internal sealed class OnnxGraph(string name, List<OnnxNode> nodes, List<OnnxTensor> initializers, List<OnnxValueInfo> inputs, List<OnnxValueInfo> outputs)
    : IOnnxMessage
{
    public string Name { get; } = name;

    public IReadOnlyList<OnnxNode> Nodes { get; } = nodes;

    public IReadOnlyList<OnnxTensor> Initializers { get; } = initializers;

    public IReadOnlyList<OnnxValueInfo> Inputs { get; } = inputs;

    public IReadOnlyList<OnnxValueInfo> Outputs { get; } = outputs;

    public int CalculateSize() =>
        ProtoFields.RepeatedMessageSize(1, Nodes)
        + ProtoFields.StringSize(2, Name)
        + ProtoFields.RepeatedMessageSize(5, Initializers)
        + ProtoFields.RepeatedMessageSize(11, Inputs)
        + ProtoFields.RepeatedMessageSize(12, Outputs);

    public void WriteTo(CodedOutputStream output)
    {
        ProtoFields.WriteRepeatedMessage(output, 1, Nodes);
        ProtoFields.WriteString(output, 2, Name);
        ProtoFields.WriteRepeatedMessage(output, 5, Initializers);
        ProtoFields.WriteRepeatedMessage(output, 11, Inputs);
        ProtoFields.WriteRepeatedMessage(output, 12, Outputs);
    }
}
