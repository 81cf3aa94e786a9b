using Google.Protobuf;

namespace Sllm.Onnx.Building;

/// <summary>An ONNX <c>OperatorSetIdProto</c>: an operator domain (empty for the default ONNX domain) and its version.</summary>
internal sealed class OnnxOperatorSet(string domain, long version) : IOnnxMessage
{
    public string Domain { get; } = domain;

    public long Version { get; } = version;

    public int CalculateSize() => ProtoFields.StringSize(1, Domain) + ProtoFields.Int64Size(2, Version);

    public void WriteTo(CodedOutputStream output)
    {
        ProtoFields.WriteString(output, 1, Domain);
        ProtoFields.WriteInt64(output, 2, Version);
    }
}
