using Google.Protobuf;

namespace Sllm.Onnx.Building;

/// <summary>An ONNX protobuf message this package writes by hand (no generated code, no protoc).</summary>
internal interface IOnnxMessage
{
    /// <summary>Returns the encoded size in bytes, without a tag or length prefix.</summary>
    int CalculateSize();

    /// <summary>Writes the message's fields, without a tag or length prefix.</summary>
    void WriteTo(CodedOutputStream output);
}
