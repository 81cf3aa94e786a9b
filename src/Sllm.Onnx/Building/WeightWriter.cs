using Sllm.Onnx.Quantization;

namespace Sllm.Onnx.Building;

/// <summary>
/// Produces every initializer of a <see cref="DecoderGraph"/> (caller weights, seeded noise or rotary caches), lays it
/// out as the graph expects and streams it into the external data file.
/// </summary>
/// <remarks>
/// Seeded noise is computed chunk by chunk straight in ONNX layout, so a model without a weight source never holds
/// more than one chunk. A tensor that may come from the caller is first held whole in Hugging Face layout (the caller
/// fills it in one call), in a buffer reused across tensors, then laid out chunk by chunk. Cancellation is checked
/// between tensors.
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
            long count = plan.ElementCount;
            if (plan.Layout == WeightLayout.Quantized)
            {
                await WriteQuantizedAsync(plan, data, tensors, cancellationToken).ConfigureAwait(false);
                continue;
            }

            bool whole = !plan.IsParameter || _options.WeightSource is not null;
            if (whole)
            {
                ProduceWhole(plan, checked((int)count));
            }

            await data.BeginTensorAsync(count, cancellationToken).ConfigureAwait(false);

            // Transposed tensors go by whole output rows so each chunk is one contiguous run of the file.
            int width = plan.Layout == WeightLayout.Transposed ? (int)plan.Dims[1] : 1;
            int rowsPerChunk = Math.Max(1, ExternalDataWriter.ChunkElements / width);
            long rows = count / width;
            for (long first = 0; first < rows; first += rowsPerChunk)
            {
                int length = (int)(Math.Min(rowsPerChunk, rows - first) * width);
                Memory<float> chunk = Chunk(length);
                if (plan.Layout == WeightLayout.Transposed)
                {
                    Transpose(plan, chunk.Span, (int)first, whole);
                }
                else if (whole)
                {
                    _source.AsSpan((int)first, length).CopyTo(chunk.Span);
                }
                else
                {
                    Sequential(plan, chunk.Span, first);
                }

                for (int start = 0; start < length; start += ExternalDataWriter.ChunkElements)
                {
                    int take = Math.Min(ExternalDataWriter.ChunkElements, length - start);
                    await data.WriteAsync(chunk.Slice(start, take), cancellationToken).ConfigureAwait(false);
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

    // The whole [N, K] matrix is produced in Hugging Face layout, which is already the row order MatMulNBits wants.
    private async Task WriteQuantizedAsync(WeightPlan plan, ExternalDataWriter data, List<OnnxTensor> tensors, CancellationToken cancellationToken)
    {
        QuantizationSpec spec = _shape.Quantization!;
        int count = checked((int)plan.ElementCount);
        ProduceWhole(plan, count);
        QuantizedWeight weight = BlockQuantizer.Quantize(_source.AsSpan(0, count), (int)plan.Dims[0], (int)plan.Dims[1], spec.Bits, spec.BlockSize, spec.Symmetric,
            halfScales: _shape.IoType == OnnxDataType.Float16);
        await MatMulNBits.WriteAsync(weight, plan.Name, _shape.IoType, data, tensors, cancellationToken).ConfigureAwait(false);

        // A tied head quantizes the embedding's own values, already counted with the float table.
        if (!(_shape.TieEmbeddings && plan.Parts is [{ HfName: "model.embed_tokens.weight" }]))
        {
            ParameterCount += count;
        }
    }

    private Memory<float> Chunk(int length)
    {
        if (_chunk.Length < length)
        {
            _chunk = new float[length];
        }

        return _chunk.AsMemory(0, length);
    }

    // Fills _source with the plan's Hugging Face parts one after the other (or with the rotary cache).
    private void ProduceWhole(WeightPlan plan, int count)
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
                Default(part, destination, 0);
            }

            offset += length;
        }
    }

    private void Default(WeightPart part, Span<float> destination, long start)
    {
        if (part.Init == WeightInit.Ones)
        {
            destination.Fill(1f);
        }
        else
        {
            new SeededNoise(_options.Seed, part.HfName, _options.WeightInitScale).Fill(destination, start);
        }
    }

    // Concatenated parts in their own order, from element `first` of the concatenation, computed in place.
    private void Sequential(WeightPlan plan, Span<float> chunk, long first)
    {
        long partStart = 0;
        int written = 0;
        foreach (WeightPart part in plan.Parts)
        {
            long partEnd = partStart + part.ElementCount;
            long from = Math.Max(first + written, partStart);
            if (from < partEnd && written < chunk.Length)
            {
                int take = (int)Math.Min(partEnd - from, chunk.Length - written);
                Default(part, chunk.Slice(written, take), from - partStart);
                written += take;
            }

            partStart = partEnd;
        }
    }

    // ONNX rows [first, first + rows) of [in, Σout] from parts [out_p, in]: read from _source, or computed by index.
    private void Transpose(WeightPlan plan, Span<float> chunk, int first, bool whole)
    {
        int inner = (int)plan.Dims[0];
        int width = (int)plan.Dims[1];
        int rows = chunk.Length / width;
        int column = 0;
        int partStart = 0;
        foreach (WeightPart part in plan.Parts)
        {
            int outRows = part.HfShape[0];
            if (whole)
            {
                // Reads run along the source rows; the writes stride, which costs less than striding reads.
                for (int o = 0; o < outRows; o++)
                {
                    ReadOnlySpan<float> run = _source.AsSpan(partStart + (o * inner) + first, rows);
                    for (int r = 0; r < rows; r++)
                    {
                        chunk[(r * width) + column + o] = run[r];
                    }
                }
            }
            else
            {
                var noise = new SeededNoise(_options.Seed, part.HfName, _options.WeightInitScale);
                for (int r = 0; r < rows; r++)
                {
                    Span<float> row = chunk.Slice((r * width) + column, outRows);
                    for (int o = 0; o < outRows; o++)
                    {
                        row[o] = part.Init == WeightInit.Ones ? 1f : noise.At(((long)o * inner) + first + r);
                    }
                }
            }

            column += outRows;
            partStart += outRows * inner;
        }
    }
}
