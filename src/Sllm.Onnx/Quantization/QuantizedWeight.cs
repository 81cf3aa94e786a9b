using System.Runtime.InteropServices;

namespace Sllm.Onnx.Quantization;

/// <summary>One matrix in <c>MatMulNBits</c> form: <c>B</c> [N, blocks, blob], scales [N, blocks], packed zero points or none.</summary>
internal sealed record QuantizedWeight(int N, int K, int Bits, int BlockSize, byte[] Packed, float[] Scales, byte[]? ZeroPoints)
{
    public int Blocks => (K + BlockSize - 1) / BlockSize;

    public int BlobSize => BlockSize * Bits / 8;

    public int ZeroPointRowBytes => ((Blocks * Bits) + 7) / 8;

    public ReadOnlySpan<byte> ScaleBytes => MemoryMarshal.AsBytes(Scales.AsSpan());
}
