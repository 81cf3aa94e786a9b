using Google.Protobuf;

namespace Sllm.Onnx.Building;

/// <summary>
/// An ONNX <c>TensorProto</c>: either inline (<c>raw_data</c>, for small constants) or a reference to a byte range of
/// the external data file (<c>data_location = EXTERNAL</c> with <c>location</c>/<c>offset</c>/<c>length</c> entries).
/// </summary>
internal sealed class OnnxTensor : IOnnxMessage
{
    private const int DimsField = 1;
    private const int DataTypeField = 2;
    private const int NameField = 8;
    private const int RawDataField = 9;
    private const int ExternalDataField = 13;
    private const int DataLocationField = 14;
    private const int ExternalLocation = 1;

    private readonly OnnxStringEntry[] _external;

    private OnnxTensor(string name, OnnxDataType dataType, long[] dims, ByteString? rawData, OnnxStringEntry[] external)
    {
        Name = name;
        DataType = dataType;
        Dims = dims;
        RawData = rawData;
        _external = external;
    }

    public string Name { get; }

    public OnnxDataType DataType { get; }

    public IReadOnlyList<long> Dims { get; }

    public ByteString? RawData { get; }

    public static OnnxTensor Inline(string name, OnnxDataType dataType, long[] dims, ReadOnlySpan<byte> rawData) =>
        new(name, dataType, dims, ByteString.CopyFrom(rawData), []);

    public static OnnxTensor External(string name, OnnxDataType dataType, long[] dims, string location, long offset, long length) =>
        new(name, dataType, dims, rawData: null,
        [
            new("location", location),
            new("offset", offset.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("length", length.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ]);

    public int CalculateSize()
    {
        int size = ProtoFields.RepeatedInt64Size(DimsField, Dims)
            + ProtoFields.Int64Size(DataTypeField, (long)DataType)
            + ProtoFields.StringSize(NameField, Name);
        if (RawData is not null)
        {
            size += CodedOutputStream.ComputeTagSize(RawDataField) + CodedOutputStream.ComputeBytesSize(RawData);
        }

        if (_external.Length > 0)
        {
            size += ProtoFields.RepeatedMessageSize(ExternalDataField, _external) + ProtoFields.Int64Size(DataLocationField, ExternalLocation);
        }

        return size;
    }

    public void WriteTo(CodedOutputStream output)
    {
        ProtoFields.WriteRepeatedInt64(output, DimsField, Dims);
        ProtoFields.WriteInt64(output, DataTypeField, (long)DataType);
        ProtoFields.WriteString(output, NameField, Name);
        if (RawData is not null)
        {
            output.WriteTag(RawDataField, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(RawData);
        }

        if (_external.Length > 0)
        {
            ProtoFields.WriteRepeatedMessage(output, ExternalDataField, _external);
            ProtoFields.WriteInt64(output, DataLocationField, ExternalLocation);
        }
    }
}
