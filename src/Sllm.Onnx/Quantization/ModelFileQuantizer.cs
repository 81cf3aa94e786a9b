using Google.Protobuf;
using Microsoft.Win32.SafeHandles;
using Sllm.Onnx.Building;

namespace Sllm.Onnx.Quantization;

/// <summary>
/// Rewrites one <c>.onnx</c> file: each <c>MatMul</c> whose B is a constant two-dimensional float32/float16 initializer
/// becomes a <c>MatMulNBits</c>; every other field of the model is carried over as it was read.
/// </summary>
/// <remarks>
/// All external data (kept tensors and the new quantized ones) goes to one new file next to the output model, named
/// after it (<c>model.onnx.data</c>); a float weight that another node still reads (a tied embedding) is kept. Not
/// thread-safe; one instance per file.
/// </remarks>
internal sealed class ModelFileQuantizer : IDisposable
{
    private const int GraphField = 7;
    private const int OpsetField = 8;
    private const int NodeField = 1;
    private const int InitializerField = 5;
    private const int InputField = 11;
    private const int OutputField = 12;

    private readonly string _sourcePath;
    private readonly string _sourceDirectory;
    private readonly QuantizationSpec _spec;
    private readonly Dictionary<string, SafeFileHandle> _handles = new(StringComparer.Ordinal);

    private ModelFileQuantizer(string sourcePath, QuantizationSpec spec)
    {
        _sourcePath = sourcePath;
        _sourceDirectory = Path.GetDirectoryName(sourcePath)!;
        _spec = spec;
    }

    /// <summary>Gets the full paths of the external data files the source model reads.</summary>
    public HashSet<string> DataFiles { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets the number of MatMul nodes rewritten.</summary>
    public int Quantized { get; private set; }

    /// <summary>Quantizes a model file; returns null (writing nothing) when it has no MatMul to quantize.</summary>
    public static async Task<ModelFileQuantizer?> RunAsync(string sourcePath, string targetPath, QuantizationSpec spec, CancellationToken cancellationToken)
    {
        var quantizer = new ModelFileQuantizer(sourcePath, spec);
        try
        {
            bool wrote = await quantizer.QuantizeAsync(targetPath, cancellationToken).ConfigureAwait(false);
            return wrote ? quantizer : null;
        }
        finally
        {
            quantizer.Dispose();
        }
    }

    public void Dispose()
    {
        foreach (SafeFileHandle handle in _handles.Values)
        {
            handle.Dispose();
        }

        _handles.Clear();
    }

    private async Task<bool> QuantizeAsync(string targetPath, CancellationToken cancellationToken)
    {
        byte[] bytes = await File.ReadAllBytesAsync(_sourcePath, cancellationToken).ConfigureAwait(false);
        ProtoMessage model = Parse(bytes, "the model");
        int graphIndex = model.Fields.FindIndex(f => f.Number == GraphField);
        if (graphIndex < 0)
        {
            throw Fail("has no graph");
        }

        ProtoMessage graph = Parse(model.Fields[graphIndex].Bytes, "the graph");
        GraphIndex index = GraphIndex.Build(graph, _sourcePath);
        Dictionary<int, QuantizedMatMul> targets = FindTargets(index);
        if (targets.Count == 0)
        {
            return false;
        }

        string dataPath = targetPath + ".data";
        var data = new ExternalDataWriter(dataPath, OnnxDataType.Float);
        await using (data.ConfigureAwait(false))
        {
            var fields = new List<ProtoField>(graph.Fields.Count + (targets.Count * 3));
            var added = new List<OnnxTensor>();
            var done = new HashSet<string>(StringComparer.Ordinal);
            for (int i = 0; i < graph.Fields.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                ProtoField field = graph.Fields[i];
                if (field.Number == NodeField && targets.TryGetValue(i, out QuantizedMatMul? target))
                {
                    fields.Add(ProtoField.Of(NodeField, target.Node(_spec)));
                    if (done.Add(target.Weight.Name))
                    {
                        await QuantizeWeightAsync(target.Weight, data, added, cancellationToken).ConfigureAwait(false);
                    }
                }
                else if (field.Number == InitializerField)
                {
                    TensorView tensor = index.Tensors[i];
                    if (!index.IsOnlyReadBy(tensor.Name, targets))
                    {
                        fields.Add(await KeepAsync(field, tensor, data, cancellationToken).ConfigureAwait(false));
                    }
                }
                else
                {
                    fields.Add(field);
                }
            }

            foreach (OnnxTensor tensor in added)
            {
                fields.Add(ProtoField.Of(InitializerField, tensor));
            }

            graph.Fields.Clear();
            graph.Fields.AddRange(fields);
        }

        model.Fields[graphIndex] = ProtoField.Of(GraphField, graph);
        AddContribOpset(model);
        await using (var stream = new FileStream(targetPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
        {
            model.WriteTo(stream);
        }

        Quantized = targets.Count;
        return true;
    }

    private Dictionary<int, QuantizedMatMul> FindTargets(GraphIndex index)
    {
        var targets = new Dictionary<int, QuantizedMatMul>();
        foreach ((int fieldIndex, ProtoMessage node) in index.Nodes)
        {
            string opType = node.String(4);
            string domain = node.String(7);
            if (opType is "MatMulNBits" or "GatherBlockQuantized" && domain == MatMulNBits.Domain)
            {
                throw Fail($"is already quantized: node '{node.String(3)}' is a {opType}");
            }

            List<string> inputs = node.Strings(1);
            if (opType != "MatMul" || domain is not ("" or "ai.onnx") || inputs.Count != 2
                || !index.Initializers.TryGetValue(inputs[1], out TensorView? weight) || index.GraphInputs.Contains(weight.Name) || weight.Dims.Count != 2)
            {
                continue;
            }

            List<string> outputs = node.Strings(2);
            if (!_spec.QuantizeLmHead && outputs.Count == 1 && index.GraphOutputs.Contains(outputs[0]))
            {
                continue;
            }

            if (weight.DataType is not (TensorView.FloatType or TensorView.Float16Type))
            {
                throw Fail($"has MatMul weight '{weight.Name}' (node '{node.String(3)}') of ONNX data type {weight.DataType}; only float32 (1) and float16 (10) weights can be quantized");
            }

            targets[fieldIndex] = new QuantizedMatMul(node.String(3), inputs[0], outputs[0], weight);
        }

        return targets;
    }

    private async Task QuantizeWeightAsync(TensorView weight, ExternalDataWriter data, List<OnnxTensor> added, CancellationToken cancellationToken)
    {
        int k = checked((int)weight.Dims[0]);
        int n = checked((int)weight.Dims[1]);
        float[] kn = await ReadFloatsAsync(weight, cancellationToken).ConfigureAwait(false);

        // ONNX stores B as [K, N]; MatMulNBits wants rows of N, the PyTorch Linear layout.
        var nk = new float[kn.Length];
        for (int row = 0; row < k; row++)
        {
            ReadOnlySpan<float> source = kn.AsSpan(row * n, n);
            for (int column = 0; column < n; column++)
            {
                nk[(column * k) + row] = source[column];
            }
        }

        bool half = weight.DataType == TensorView.Float16Type;
        QuantizedWeight quantized = BlockQuantizer.Quantize(nk, n, k, _spec.Bits, _spec.BlockSize, _spec.Symmetric, half);
        await MatMulNBits.WriteAsync(quantized, weight.Name, half ? OnnxDataType.Float16 : OnnxDataType.Float, data, added, cancellationToken).ConfigureAwait(false);
    }

    private async Task<float[]> ReadFloatsAsync(TensorView tensor, CancellationToken cancellationToken)
    {
        if (tensor.Location is null)
        {
            return tensor.InlineFloats();
        }

        byte[] bytes = await ReadExternalAsync(tensor, cancellationToken).ConfigureAwait(false);
        return tensor.Decode(bytes, new float[tensor.ElementCount]);
    }

    // A kept tensor stays as read, except that external values move into the new data file.
    private async Task<ProtoField> KeepAsync(ProtoField field, TensorView tensor, ExternalDataWriter data, CancellationToken cancellationToken)
    {
        if (tensor.Location is null)
        {
            return field;
        }

        byte[] bytes = await ReadExternalAsync(tensor, cancellationToken).ConfigureAwait(false);
        long offset = await data.AppendBytesAsync(bytes, cancellationToken).ConfigureAwait(false);
        ProtoMessage message = tensor.Message;
        message.Fields.RemoveAll(f => f.Number is TensorView.ExternalDataField or TensorView.DataLocationField);
        message.Fields.Add(ProtoField.Of(TensorView.ExternalDataField, new OnnxStringEntry("location", data.Location)));
        message.Fields.Add(ProtoField.Of(TensorView.ExternalDataField, new OnnxStringEntry("offset", offset.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        message.Fields.Add(ProtoField.Of(TensorView.ExternalDataField, new OnnxStringEntry("length", bytes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        message.Fields.Add(ProtoField.Varint(TensorView.DataLocationField, 1));
        return ProtoField.Of(InitializerField, message);
    }

    private async Task<byte[]> ReadExternalAsync(TensorView tensor, CancellationToken cancellationToken)
    {
        string path = Path.GetFullPath(Path.Combine(_sourceDirectory, tensor.Location!));
        long length = tensor.Length >= 0 ? tensor.Length : tensor.ElementCount * TensorView.ElementBytes(tensor.DataType);
        if (!_handles.TryGetValue(path, out SafeFileHandle? handle))
        {
            if (!File.Exists(path))
            {
                throw Fail($"reads initializer '{tensor.Name}' from {path}, which does not exist");
            }

            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.Asynchronous);
            _handles[path] = handle;
            DataFiles.Add(path);
        }

        if (tensor.Offset < 0 || length < 0 || tensor.Offset + length > RandomAccess.GetLength(handle) || length > Array.MaxLength)
        {
            throw Fail($"has initializer '{tensor.Name}' whose external range (offset {tensor.Offset}, length {length}) lies outside {path}");
        }

        var bytes = new byte[length];
        int read = 0;
        while (read < bytes.Length)
        {
            read += await RandomAccess.ReadAsync(handle, bytes.AsMemory(read), tensor.Offset + read, cancellationToken).ConfigureAwait(false);
        }

        return bytes;
    }

    private static void AddContribOpset(ProtoMessage model)
    {
        foreach (ProtoField field in model.Fields)
        {
            if (field.Number == OpsetField && field.AsMessage().String(1) == MatMulNBits.Domain)
            {
                return;
            }
        }

        model.Fields.Add(ProtoField.Of(OpsetField, new OnnxOperatorSet(MatMulNBits.Domain, 1)));
    }

    private ProtoMessage Parse(ReadOnlyMemory<byte> bytes, string what)
    {
        try
        {
            return ProtoMessage.Parse(bytes);
        }
        catch (InvalidDataException ex)
        {
            throw new QuantizationException($"{_sourcePath} is not a readable ONNX model: {what} is malformed ({ex.Message}).", _sourcePath, ex);
        }
    }

    private QuantizationException Fail(string what) => new($"The model {_sourcePath} {what}.", _sourcePath);
}
