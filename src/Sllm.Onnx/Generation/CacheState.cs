using Microsoft.ML.OnnxRuntime;
using Sllm.Onnx.Runtime;

namespace Sllm.Onnx;

/// <summary>The KV cache (and any recurrent state) of one generator, either in shared max-length buffers or as growing tensors.</summary>
/// <remarks>
/// Shared: each layer's key and value live in one zeroed <c>[batch, kv_heads, max_length, head_size]</c> buffer bound as both
/// the past input and the pre-allocated present output, so GroupQueryAttention writes the new positions in place and nothing is
/// copied between steps; rewinding only shortens the logical length. Growing: past starts with length 0 and each run's present
/// output (allocated by ONNX Runtime) becomes the next past; rewinding copies the kept prefix.
/// Owned by one <see cref="Generator"/>; not thread-safe.
/// </remarks>
internal sealed class CacheState : IDisposable
{
    private readonly DecoderGraph graph;
    private readonly int batch;
    private readonly NativeTensorBuffer[] sharedBuffers = [];

    public CacheState(DecoderGraph graph, int batch, int maxLength, bool share)
    {
        this.graph = graph;
        this.batch = batch;
        Shared = share && !graph.CombinedKv && graph.ConvLayers.Count == 0;
        var pastNames = new List<string>();
        var presentNames = new List<string>();
        foreach (KvLayer layer in graph.KvLayers)
        {
            pastNames.Add(layer.PastKey);
            presentNames.Add(layer.PresentKey);
            if (layer.PastValue is not null)
            {
                pastNames.Add(layer.PastValue);
                presentNames.Add(layer.PresentValue!);
            }
        }

        KvCount = pastNames.Count;
        foreach (ConvStateLayer conv in graph.ConvLayers)
        {
            pastNames.Add(conv.Past);
            presentNames.Add(conv.Present);
        }

        PastNames = [.. pastNames];
        PresentNames = [.. presentNames];
        Values = new OrtValue[PastNames.Length];
        if (Shared)
        {
            sharedBuffers = new NativeTensorBuffer[KvCount];
            long[] shape = [batch, graph.KvHeads, maxLength, graph.HeadSize];
            for (int i = 0; i < KvCount; i++)
            {
                sharedBuffers[i] = new NativeTensorBuffer(graph.KvType, TensorElementTypes.ElementCount(shape));
                Values[i] = sharedBuffers[i].CreateView(shape);
            }
        }
        else
        {
            ResetGrowing();
        }
    }

    public bool Shared { get; }

    /// <summary>Gets the number of KV tensors; the rest of <see cref="PastNames"/> are recurrent states.</summary>
    public int KvCount { get; }

    public string[] PastNames { get; }

    /// <summary>Gets the bytes the cache holds now: the full shared buffers, or the current growing tensors.</summary>
    public long RetainedBytes
    {
        get
        {
            long total = 0;
            if (Shared)
            {
                foreach (NativeTensorBuffer buffer in sharedBuffers)
                {
                    total += buffer.ByteLength;
                }

                return total;
            }

            foreach (OrtValue value in Values)
            {
                OrtTensorTypeAndShapeInfo info = value.GetTensorTypeAndShape();
                total += info.ElementCount * TensorElementTypes.SizeOf(info.ElementDataType);
            }

            return total;
        }
    }

    public string[] PresentNames { get; }

    /// <summary>Gets the current past values (for shared buffers, also the present outputs).</summary>
    public OrtValue[] Values { get; }

    /// <summary>Takes ownership of a present output, which becomes the next step's past.</summary>
    public void Accept(int index, OrtValue present)
    {
        Values[index]?.Dispose();
        Values[index] = present;
    }

    public void Reset()
    {
        if (!Shared)
        {
            ResetGrowing();
        }
    }

    /// <summary>Keeps the first <paramref name="length"/> cached positions.</summary>
    public void Truncate(int length)
    {
        if (Shared)
        {
            return;
        }

        int axis = graph.CombinedKv ? 3 : 2;
        for (int i = 0; i < KvCount; i++)
        {
            OrtValue old = Values[i];
            long[] shape = old.GetTensorTypeAndShape().Shape;
            if (shape[axis] <= length)
            {
                continue;
            }

            long[] kept = (long[])shape.Clone();
            kept[axis] = length;
            OrtValue slice = OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, graph.KvType, kept);
            CopyPrefix(old, slice, shape, axis, length);
            Accept(i, slice);
        }
    }

    public void Dispose()
    {
        foreach (OrtValue value in Values)
        {
            value?.Dispose();
        }

        foreach (NativeTensorBuffer buffer in sharedBuffers)
        {
            buffer.Dispose();
        }
    }

    private void ResetGrowing()
    {
        for (int i = 0; i < KvCount; i++)
        {
            long[] shape = graph.CombinedKv
                ? [2, batch, graph.KvHeads, 0, graph.HeadSize]
                : [batch, graph.KvHeads, 0, graph.HeadSize];
            Accept(i, OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, graph.KvType, shape));
        }

        for (int c = 0; c < graph.ConvLayers.Count; c++)
        {
            ConvStateLayer conv = graph.ConvLayers[c];
            OrtValue zeros = OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, graph.KvType, [batch, conv.Channels, conv.Width]);
            zeros.GetTensorMutableRawData().Clear();
            Accept(KvCount + c, zeros);
        }
    }

    private static void CopyPrefix(OrtValue source, OrtValue destination, long[] shape, int axis, int length)
    {
        int elementSize = TensorElementTypes.SizeOf(source.GetTensorTypeAndShape().ElementDataType);
        long outer = 1, inner = 1;
        for (int d = 0; d < axis; d++)
        {
            outer *= shape[d];
        }

        for (int d = axis + 1; d < shape.Length; d++)
        {
            inner *= shape[d];
        }

        int rowBytes = checked((int)(inner * elementSize));
        ReadOnlySpan<byte> from = source.GetTensorMutableRawData();
        Span<byte> to = destination.GetTensorMutableRawData();
        for (long o = 0; o < outer; o++)
        {
            int bytes = rowBytes * length;
            from.Slice(checked((int)(o * shape[axis] * rowBytes)), bytes).CopyTo(to.Slice(checked((int)(o * length * rowBytes)), bytes));
        }
    }
}
