using Google.Protobuf;

namespace Sllm.Onnx.Building;

/// <summary>An ONNX <c>StringStringEntryProto</c> (external data entries, metadata properties).</summary>
internal sealed class OnnxStringEntry(string key, string value) : IOnnxMessage
{
    public string Key { get; } = key;

    public string Value { get; } = value;

    public int CalculateSize() => ProtoFields.StringSize(1, Key) + ProtoFields.StringSize(2, Value);

    public void WriteTo(CodedOutputStream output)
    {
        ProtoFields.WriteString(output, 1, Key);
        ProtoFields.WriteString(output, 2, Value);
    }
}
