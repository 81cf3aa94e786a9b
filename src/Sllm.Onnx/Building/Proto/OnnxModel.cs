using Google.Protobuf;

namespace Sllm.Onnx.Building;

/// <summary>An ONNX <c>ModelProto</c>: IR version, producer, graph and operator set imports.</summary>
internal sealed class OnnxModel(long irVersion, string producerName, string producerVersion, OnnxGraph graph, OnnxOperatorSet[] opsetImports)
    : IOnnxMessage
{
    public long IrVersion { get; } = irVersion;

    public string ProducerName { get; } = producerName;

    public string ProducerVersion { get; } = producerVersion;

    public OnnxGraph Graph { get; } = graph;

    public IReadOnlyList<OnnxOperatorSet> OpsetImports { get; } = opsetImports;

    public int CalculateSize() =>
        ProtoFields.Int64Size(1, IrVersion)
        + ProtoFields.StringSize(2, ProducerName)
        + ProtoFields.StringSize(3, ProducerVersion)
        + ProtoFields.MessageSize(7, Graph)
        + ProtoFields.RepeatedMessageSize(8, OpsetImports);

    public void WriteTo(CodedOutputStream output)
    {
        ProtoFields.WriteInt64(output, 1, IrVersion);
        ProtoFields.WriteString(output, 2, ProducerName);
        ProtoFields.WriteString(output, 3, ProducerVersion);
        ProtoFields.WriteMessage(output, 7, Graph);
        ProtoFields.WriteRepeatedMessage(output, 8, OpsetImports);
    }

    /// <summary>Writes the model as one protobuf message (no length prefix), the <c>.onnx</c> file format.</summary>
    public void WriteTo(Stream stream)
    {
        using var output = new CodedOutputStream(stream, leaveOpen: true);
        WriteTo(output);
        output.Flush();
    }
}
