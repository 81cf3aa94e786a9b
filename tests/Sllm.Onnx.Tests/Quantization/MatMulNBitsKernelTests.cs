using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Sllm.Onnx.Building;
using Xunit;

namespace Sllm.Onnx.Quantization;

/// <summary>
/// The quantizer's bytes against ONNX Runtime's own MatMulNBits kernel: multiplying by the identity must give back the
/// weights the bytes stand for, dequantized as <c>(q - zp) * scale</c>, so layout, packing and zero points are as ORT reads them.
/// </summary>
public sealed class MatMulNBitsKernelTests
{
    [Theory]
    [InlineData(4, 32, false)]
    [InlineData(4, 32, true)]
    [InlineData(4, 64, false)]
    [InlineData(8, 32, false)]
    [InlineData(8, 16, true)]
    public async Task Ort_dequantizes_the_bytes_as_written(int bits, int blockSize, bool symmetric)
    {
        // K = 80 leaves a partial last block and an odd number of int4 zero points.
        const int N = 24;
        const int K = 80;
        float[] weights = new float[N * K];
        var random = new Random(7);
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] = (float)((random.NextDouble() * 2) - 1.3);
        }

        QuantizedWeight q = BlockQuantizer.Quantize(weights, N, K, bits, blockSize, symmetric, halfScales: false);
        float[] expected = Dequantize(q);
        float maxError = 0;
        for (int i = 0; i < weights.Length; i++)
        {
            maxError = Math.Max(maxError, Math.Abs(expected[i] - weights[i]));
        }

        Assert.True(maxError < (bits == 4 ? 0.2f : 0.01f), $"round-trip error {maxError}");

        using var directory = new TempDirectory("sllm-nbits");
        var spec = new QuantizationSpec(bits, blockSize, symmetric, AccuracyLevel: 0, QuantizeLmHead: true);
        string path = await WriteModelAsync(directory.Path, q, spec);
        using var session = new InferenceSession(path);
        float[] identity = new float[K * K];
        for (int i = 0; i < K; i++)
        {
            identity[(i * K) + i] = 1;
        }

        using var input = OrtValue.CreateTensorValueFromMemory(identity, [K, K]);
        using IDisposableReadOnlyCollection<OrtValue> outputs = session.Run(new RunOptions(), ["A"], [input], ["Y"]);
        ReadOnlySpan<float> y = outputs[0].GetTensorDataAsSpan<float>();
        for (int k = 0; k < K; k++)
        {
            for (int n = 0; n < N; n++)
            {
                Assert.Equal(expected[(n * K) + k], y[(k * N) + n], 5);
            }
        }
    }

    internal static float[] Dequantize(QuantizedWeight q)
    {
        var result = new float[q.N * q.K];
        for (int n = 0; n < q.N; n++)
        {
            for (int k = 0; k < q.K; k++)
            {
                int block = k / q.BlockSize;
                int within = k % q.BlockSize;
                byte packed = q.Packed[(((n * q.Blocks) + block) * q.BlobSize) + (q.Bits == 8 ? within : within / 2)];
                int code = q.Bits == 8 ? packed : (within % 2 == 0 ? packed & 0xF : packed >> 4);
                int zp = q.ZeroPoints is null ? 1 << (q.Bits - 1)
                    : q.Bits == 8 ? q.ZeroPoints[(n * q.ZeroPointRowBytes) + block]
                    : (q.ZeroPoints[(n * q.ZeroPointRowBytes) + (block / 2)] >> (4 * (block % 2))) & 0xF;
                result[(n * q.K) + k] = (code - zp) * q.Scales[(n * q.Blocks) + block];
            }
        }

        return result;
    }

    private static async Task<string> WriteModelAsync(string directory, QuantizedWeight q, QuantizationSpec spec)
    {
        var tensors = new List<OnnxTensor>();
        var data = new ExternalDataWriter(Path.Combine(directory, "m.onnx.data"), OnnxDataType.Float);
        await using (data)
        {
            await MatMulNBits.WriteAsync(q, "W", OnnxDataType.Float, data, tensors, CancellationToken.None);
        }

        var node = MatMulNBits.Node("/MatMul", "A", "W", "Y", q.K, q.N, spec);
        var graph = new OnnxGraph("g", [node], tensors, [new OnnxValueInfo("A", OnnxDataType.Float, ["m", q.K])], [new OnnxValueInfo("Y", OnnxDataType.Float, ["m", q.N])]);
        var model = new Building.OnnxModel(10, "test", "1", graph, [new OnnxOperatorSet(string.Empty, 21), new OnnxOperatorSet("com.microsoft", 1)]);
        string path = Path.Combine(directory, "m.onnx");
        using (var stream = File.Create(path))
        {
            model.WriteTo(stream);
        }

        return path;
    }
}
