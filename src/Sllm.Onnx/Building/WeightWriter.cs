namespace Sllm.Onnx.Building;

/// <summary>
/// Produces every initializer of a <see cref="DecoderGraph"/> (caller weights, seeded noise or rotary caches), lays it
/// out as the graph expects and streams it into the external data file.
/// </summary>
/// <remarks>
/// One tensor's Hugging Face values are held at a time (the largest is the embedding table), in a buffer reused
/// across tensors; the ONNX layout is produced chunk by chunk from it. Cancellation is checked between tensors.
/// </remarks>
internal sealed class WeightWriter
{
    private readonly DecoderShape _shape;
    private readonly ModelBuilderOptions _options;
    private float[] _source = [];
    private float[] _chunk = [];

    public WeightWriter(DecoderShape shape, ModelBuilderOptions options)
    {
        _shape = shape;
        _options = options;
    }

    /// <summary>Gets the number of model parameters written (rotary caches excluded).</summary>
    public long ParameterCount { get; private set; }

    public async Task<List<OnnxTensor>> WriteAsync(IReadOnlyList<WeightPlan> plans, ExternalDataWriter data, CancellationToken cancellationToken)
    {
        var tensors = new List<OnnxTensor>(plans.Count);
        foreach (WeightPlan plan in plans)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int count = checked((int)plan.ElementCount);
            Produce(plan, count);
            await data.BeginTensorAsync(count, cancellationToken).ConfigureAwait(false);
            if (plan.Layout == WeightLayout.Transposed)
            {
                await WriteTransposedAsync(plan, data, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                for (int start = 0; start < count; start += ExternalDataWriter.ChunkElements)
                {
                    int length = Math.Min(ExternalDataWriter.ChunkElements, count - start);
                    await data.WriteAsync(_source.AsMemory(start, length), cancellationToken).ConfigureAwait(false);
                }
            }

            tensors.Add(data.EndTensor(plan.Name, plan.Dims));
            if (plan.IsParameter)
            {
                ParameterCount += count;
            }
        }

        return tensors;
    }

    // Fills _source with the plan's Hugging Face parts one after the other (or with the rotary cache).
    private void Produce(WeightPlan plan, int count)
    {
        if (_source.Length < count)
        {
            _source = new float[count];
        }

        Span<float> all = _source.AsSpan(0, count);
        if (plan.Layout is WeightLayout.RotaryCos or WeightLayout.RotarySin)
        {
            RotaryCache.Fill(all, _shape.ContextLength, _shape.HeadSize, _shape.RopeTheta, plan.Layout == WeightLayout.RotaryCos);
            return;
        }

        int offset = 0;
        foreach (WeightPart part in plan.Parts)
        {
            int length = (int)part.ElementCount;
            Span<float> destination = all.Slice(offset, length);
            if (_options.WeightSource?.TryGetWeight(part.HfName, part.HfShape, destination) != true)
            {
                if (part.Init == WeightInit.Ones)
                {
                    destination.Fill(1f);
                }
                else
                {
                    SeededNoise.Fill(destination, _options.Seed, part.HfName, _options.WeightInitScale);
                }
            }

            offset += length;
        }
    }

    // ONNX [in, Σout] from parts [out_p, in]: blocks of output rows, each read as contiguous runs of the parts' rows.
    private async Task WriteTransposedAsync(WeightPlan plan, ExternalDataWriter data, CancellationToken cancellationToken)
    {
        int inner = (int)plan.Dims[0];
        int width = (int)plan.Dims[1];
        int rowsPerChunk = Math.Max(1, ExternalDataWriter.ChunkElements / width);
        if (_chunk.Length < rowsPerChunk * width)
        {
            _chunk = new float[rowsPerChunk * width];
        }

        for (int first = 0; first < inner; first += rowsPerChunk)
        {
            int rows = Math.Min(rowsPerChunk, inner - first);
            TransposeBlock(plan, inner, width, first, rows);
            int length = rows * width;
            for (int start = 0; start < length; start += ExternalDataWriter.ChunkElements)
            {
                int take = Math.Min(ExternalDataWriter.ChunkElements, length - start);
                await data.WriteAsync(_chunk.AsMemory(start, take), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private void TransposeBlock(WeightPlan plan, int inner, int width, int first, int rows)
    {
        ReadOnlySpan<float> source = _source;
        Span<float> block = _chunk.AsSpan(0, rows * width);
        int column = 0;
        int partStart = 0;
        foreach (WeightPart part in plan.Parts)
        {
            int outRows = part.HfShape[0];
            for (int o = 0; o < outRows; o++)
            {
                ReadOnlySpan<float> run = source.Slice(partStart + (o * inner) + first, rows);
                for (int r = 0; r < rows; r++)
                {
                    block[(r * width) + column + o] = run[r];
                }
            }

            column += outRows;
            partStart += outRows * inner;
        }
    }
}
