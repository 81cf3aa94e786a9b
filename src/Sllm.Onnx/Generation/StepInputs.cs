using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Sllm.Onnx.Runtime;

namespace Sllm.Onnx;

/// <summary>The native buffers behind <c>input_ids</c>, <c>position_ids</c> and (for batches) <c>attention_mask</c>, in the
/// integer width the graph declares.</summary>
/// <remarks>Decode steps reuse cached <c>[batch, 1]</c> views; prompt passes create a view of the needed shape, which the
/// caller disposes. Owned by one <see cref="Generator"/>; not thread-safe.</remarks>
internal sealed class StepInputs : IDisposable
{
    private readonly OnnxModel model;
    private readonly int batch;
    private readonly NativeTensorBuffer ids;
    private readonly NativeTensorBuffer? positions;
    private readonly NativeTensorBuffer? mask;
    private readonly OrtValue decodeIds;
    private readonly OrtValue? decodePositions;

    public StepInputs(OnnxModel model, int batch, int maxLength)
    {
        this.model = model;
        this.batch = batch;
        DecoderGraph graph = model.Graph;
        ids = new NativeTensorBuffer(graph.IdType, (long)batch * maxLength);
        decodeIds = ids.CreateView([batch, 1]);
        if (graph.PositionIds is not null)
        {
            positions = new NativeTensorBuffer(graph.PositionType, (long)batch * maxLength);
            decodePositions = positions.CreateView([batch, 1]);
        }

        if (graph.AttentionMask is not null && batch > 1)
        {
            mask = new NativeTensorBuffer(graph.MaskType, (long)batch * maxLength);
        }
    }

    public bool HasPositions => positions is not null;

    public bool HasMask => model.Graph.AttentionMask is not null;

    public void SetId(int index, int value) => Set(ids, index, value);

    public void SetPosition(int index, int value)
    {
        if (positions is not null)
        {
            Set(positions, index, value);
        }
    }

    public void SetMask(int index, int value) => Set(mask!, index, value);

    /// <summary>Returns the ids view for a step; <paramref name="owned"/> says whether the caller must dispose it.</summary>
    public OrtValue Ids(int sequenceLength, out bool owned)
    {
        owned = sequenceLength != 1;
        return owned ? ids.CreateView([batch, sequenceLength]) : decodeIds;
    }

    public OrtValue? Positions(int sequenceLength, out bool owned)
    {
        owned = false;
        if (positions is null)
        {
            return null;
        }

        owned = sequenceLength != 1;
        return owned ? positions.CreateView([batch, sequenceLength]) : decodePositions;
    }

    /// <summary>Returns the attention mask of the given width: a shared all-ones view for one sequence, else a view of the
    /// values written with <see cref="SetMask"/>.</summary>
    public OrtValue? Mask(int totalLength, out bool owned) => Mask(totalLength, out owned, out _);

    /// <summary>Returns the attention mask as <see cref="Mask(int, out bool)"/> does, with the native handle of a shared view
    /// (<see cref="IntPtr.Zero"/> for an owned one).</summary>
    public OrtValue? Mask(int totalLength, out bool owned, out IntPtr handle)
    {
        owned = false;
        handle = IntPtr.Zero;
        if (!HasMask)
        {
            return null;
        }

        if (mask is null)
        {
            return model.MaskCache.Get(totalLength, out handle);
        }

        owned = true;
        return mask.CreateView([batch, totalLength]);
    }

    public void Dispose()
    {
        decodeIds.Dispose();
        decodePositions?.Dispose();
        ids.Dispose();
        positions?.Dispose();
        mask?.Dispose();
    }

    private static void Set(NativeTensorBuffer buffer, int index, int value)
    {
        if (buffer.ElementType == TensorElementType.Int32)
        {
            buffer.AsSpan<int>(index, 1)[0] = value;
        }
        else
        {
            buffer.AsSpan<long>(index, 1)[0] = value;
        }
    }
}
