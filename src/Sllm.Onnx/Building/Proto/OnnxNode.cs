using Google.Protobuf;

namespace Sllm.Onnx.Building;

/// <summary>An ONNX <c>NodeProto</c>. An empty input or output name marks an omitted optional argument.</summary>
internal sealed class OnnxNode(string name, string opType, string domain, string[] inputs, string[] outputs, OnnxAttribute[] attributes)
    : IOnnxMessage
{
    public string Name { get; } = name;

    public string OpType { get; } = opType;

    public string Domain { get; } = domain;

    public IReadOnlyList<string> Inputs { get; } = inputs;

    public IReadOnlyList<string> Outputs { get; } = outputs;

    public IReadOnlyList<OnnxAttribute> Attributes { get; } = attributes;

    public int CalculateSize()
    {
        int size = 0;
        foreach (string input in Inputs)
        {
            size += ProtoFields.StringSize(1, input);
        }

        foreach (string output in Outputs)
        {
            size += ProtoFields.StringSize(2, output);
        }

        size += ProtoFields.StringSize(3, Name) + ProtoFields.StringSize(4, OpType) + ProtoFields.RepeatedMessageSize(5, Attributes);
        return Domain.Length > 0 ? size + ProtoFields.StringSize(7, Domain) : size;
    }

    public void WriteTo(CodedOutputStream output)
    {
        foreach (string input in Inputs)
        {
            ProtoFields.WriteString(output, 1, input);
        }

        foreach (string name in Outputs)
        {
            ProtoFields.WriteString(output, 2, name);
        }

        ProtoFields.WriteString(output, 3, Name);
        ProtoFields.WriteString(output, 4, OpType);
        ProtoFields.WriteRepeatedMessage(output, 5, Attributes);
        if (Domain.Length > 0)
        {
            ProtoFields.WriteString(output, 7, Domain);
        }
    }
}
