using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Sllm.Onnx.Building;

/// <summary>
/// Appends tensors to the external data file (<c>model.onnx.data</c>) in little-endian float32 or float16, aligned, and
/// returns the <c>TensorProto</c> that points at each.
/// </summary>
/// <remarks>
/// Values arrive as float32 chunks and are converted through one reusable buffer, so memory stays at one chunk however
/// large the tensor. Tensors of 1 MiB or more start on a 64 KiB boundary (the rule of <c>onnx.save_model</c>'s
/// <c>align_offset</c>, which lets ONNX Runtime map them straight from the file); smaller ones on 64 bytes. Not
/// thread-safe; owns the file stream.
/// </remarks>
internal sealed class ExternalDataWriter : IAsyncDisposable
{
    /// <summary>Values per chunk handed to <see cref="WriteAsync"/>: 1 Mi floats, 4 MiB.</summary>
    public const int ChunkElements = 1 << 20;

    private const long LargeTensorBytes = 1 << 20;
    private const long LargeAlignment = 1 << 16;
    private const long SmallAlignment = 64;

    private readonly FileStream _stream;
    private readonly string _location;
    private readonly OnnxDataType _type;
    private readonly byte[] _bytes;
    private long _position;
    private long _tensorStart;

    public ExternalDataWriter(string path, OnnxDataType type)
    {
        _stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 16, useAsync: true);
        _location = Path.GetFileName(path);
        _type = type;
        _bytes = new byte[ChunkElements * sizeof(float)];
    }

    /// <summary>Gets the file's name, as tensors' <c>location</c> entries give it.</summary>
    public string Location => _location;

    /// <summary>Gets the number of bytes written so far, padding included.</summary>
    public long Length => _position;

    private int ElementBytes => _type == OnnxDataType.Float16 ? 2 : 4;

    /// <summary>Pads the file to the tensor's alignment and remembers where it starts.</summary>
    public async ValueTask BeginTensorAsync(long elementCount, CancellationToken cancellationToken)
    {
        await PadAsync(elementCount * ElementBytes >= LargeTensorBytes ? LargeAlignment : SmallAlignment, cancellationToken).ConfigureAwait(false);
        _tensorStart = _position;
    }

    /// <summary>Appends a tensor whose bytes are already in their stored form (quantized weights, their scales).</summary>
    public async ValueTask<OnnxTensor> AppendRawAsync(string name, OnnxDataType type, long[] dims, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        long offset = await AppendBytesAsync(bytes, cancellationToken).ConfigureAwait(false);
        return OnnxTensor.External(name, type, dims, _location, offset, bytes.Length);
    }

    /// <summary>Appends one tensor's stored bytes, aligned, and returns their offset in the file.</summary>
    public async ValueTask<long> AppendBytesAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        await PadAsync(bytes.Length >= LargeTensorBytes ? LargeAlignment : SmallAlignment, cancellationToken).ConfigureAwait(false);
        _tensorStart = _position;
        await _stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        _position += bytes.Length;
        return _tensorStart;
    }

    /// <summary>Appends values (at most <see cref="ChunkElements"/>) to the current tensor.</summary>
    public ValueTask WriteAsync(ReadOnlyMemory<float> values, CancellationToken cancellationToken)
    {
        int count = Convert(values.Span);
        _position += count;
        return _stream.WriteAsync(_bytes.AsMemory(0, count), cancellationToken);
    }

    /// <summary>Ends the current tensor and returns its external-data <c>TensorProto</c>.</summary>
    public OnnxTensor EndTensor(string name, long[] dims) =>
        OnnxTensor.External(name, _type, dims, _location, _tensorStart, _position - _tensorStart);

    public async ValueTask DisposeAsync()
    {
        await _stream.FlushAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
    }

    private async ValueTask PadAsync(long alignment, CancellationToken cancellationToken)
    {
        long padding = (alignment - (_position % alignment)) % alignment;
        if (padding > 0)
        {
            Array.Clear(_bytes, 0, (int)padding);
            await _stream.WriteAsync(_bytes.AsMemory(0, (int)padding), cancellationToken).ConfigureAwait(false);
            _position += padding;
        }
    }

    // ONNX stores raw data little-endian; the builder refuses big-endian hosts up front, so a byte copy suffices.
    private int Convert(ReadOnlySpan<float> values)
    {
        if (_type == OnnxDataType.Float16)
        {
            Span<Half> halves = MemoryMarshal.Cast<byte, Half>(_bytes.AsSpan(0, values.Length * 2));
            TensorPrimitives.ConvertToHalf(values, halves);
            return values.Length * 2;
        }

        MemoryMarshal.AsBytes(values).CopyTo(_bytes);
        return values.Length * 4;
    }
}
