namespace Sllm.Onnx.Building;

/// <summary>
/// Lays out the decoder graph ORT GenAI's Python model builder writes for the CPU execution provider, with its node,
/// value and initializer names, and the plan of every initializer's values.
/// </summary>
/// <remarks>
/// Names follow the Python builder (<c>/model/layers.{i}/attn/GroupQueryAttention</c>,
/// <c>model.layers.{i}.attn.qkv_proj.MatMul.weight</c>, ...) so tools and people who know real exports find their
/// way. Value-info for intermediate values is left out: ONNX Runtime infers it.
/// </remarks>
internal sealed partial class DecoderGraphBuilder
{
    private const string Microsoft = "com.microsoft";
    private const string AttentionMask = "attention_mask";
    private const string PositionIds = "position_ids";
    private const string SeqLensK = "/model/attn_mask_reformat/attn_mask_subgraph/Sub/Cast/output_0";
    private const string TotalSeqLen = "/model/attn_mask_reformat/attn_mask_subgraph/Gather/Cast/output_0";
    private const string OneVector = "/model/constants/INT64/[1]";
    private const string OneScalar = "/model/constants/INT64/1";

    private readonly DecoderShape _shape;
    private readonly List<OnnxNode> _nodes = [];
    private readonly List<WeightPlan> _weights = [];
    private readonly HashSet<string> _constants = new(StringComparer.Ordinal);
    private bool _rotaryCachesAdded;

    private DecoderGraphBuilder(DecoderShape shape) => _shape = shape;

    public static DecoderGraph Build(DecoderShape shape)
    {
        var builder = new DecoderGraphBuilder(shape);
        builder.AddNodes();
        return new DecoderGraph(builder._nodes, builder._weights, builder.Inputs(), builder.Outputs()) { InlineInitializers = builder._loraDefaults };
    }

    private OnnxDataType Io => _shape.IoType;

    private void AddNodes()
    {
        AddMaskSubgraph();
        string hidden = AddEmbedding();

        // The residual stream enters each SkipSimplifiedLayerNormalization as "input" and leaves as output 3.
        string residual = hidden;
        string skip = string.Empty;
        for (int layer = 0; layer < _shape.NumLayers; layer++)
        {
            string normed = layer == 0
                ? AddFirstNorm(hidden)
                : AddSkipNorm(layer, "input", ref residual, skip, $"model.layers.{layer}.input_layernorm.weight", last: false);
            string attention = AddAttention(layer, normed);
            string postNormed = AddSkipNorm(layer, "post_attention", ref residual, attention, $"model.layers.{layer}.post_attention_layernorm.weight", last: false);
            skip = AddMlp(layer, postNormed);
        }

        string final = AddSkipNorm(_shape.NumLayers, "final_norm", ref residual, skip, "model.norm.weight", last: true);
        AddLmHead(final);
    }

    // seqlens_k = ReduceSum(mask) - 1 and total_sequence_length = mask.shape[1], both int32, feed every GQA node.
    private void AddMaskSubgraph()
    {
        const string Base = "/model/attn_mask_reformat/attn_mask_subgraph";
        string reduce = Node($"{Base}/ReduceSum", "ReduceSum", [AttentionMask, Constant(OneVector, [1], vector: true)], [OnnxAttribute.Int("keepdims", 0)]);
        string sub = Node($"{Base}/Sub", "Sub", [reduce, Constant(OneVector, [1], vector: true)]);
        Node($"{Base}/Sub/Cast", "Cast", [sub], [OnnxAttribute.Int("to", (long)OnnxDataType.Int32)]);
        string shape = Node($"{Base}/Shape", "Shape", [AttentionMask]);
        string gather = Node($"{Base}/Gather", "Gather", [shape, Constant(OneScalar, [1], vector: false)], [OnnxAttribute.Int("axis", 0)]);
        Node($"{Base}/Gather/Cast", "Cast", [gather], [OnnxAttribute.Int("to", (long)OnnxDataType.Int32)]);
    }

    private string AddEmbedding()
    {
        string table;
        if (_shape.TieEmbeddings && !QuantizesLmHead)
        {
            // One initializer for both ends, stored as the LM head's [hidden, vocab]; ORT folds the Transpose at load.
            AddWeight("lm_head.MatMul.weight", WeightLayout.Transposed,
                new WeightPart("model.embed_tokens.weight", [_shape.VocabSize, _shape.HiddenSize], WeightInit.Random));
            table = Node("/model/embed_tokens/Transpose", "Transpose", ["lm_head.MatMul.weight"], [OnnxAttribute.Ints("perm", 1, 0)]);
        }
        else
        {
            table = "model.embed_tokens.weight";
            AddWeight(table, WeightLayout.AsIs, new WeightPart(table, [_shape.VocabSize, _shape.HiddenSize], WeightInit.Random));
        }

        return Node("/model/embed_tokens/Gather", "Gather", [table, "input_ids"]);
    }

    private string AddFirstNorm(string input)
    {
        const string Weight = "model.layers.0.input_layernorm.weight";
        AddNormWeight(Weight, "model.layers.0.input_layernorm.weight");
        return Node("/model/layers.0/input_layernorm/LayerNorm", "SimplifiedLayerNormalization", [input, Weight],
            [OnnxAttribute.Float("epsilon", (float)_shape.Epsilon), OnnxAttribute.Int("axis", -1), OnnxAttribute.Int("stash_type", 1)],
            output: "/model/layers.0/input_layernorm/output_0");
    }

    private string AddSkipNorm(int layer, string location, ref string residual, string skip, string hfName, bool last)
    {
        string basename = $"/model/layers.{layer}/{location}_layernorm";
        string weight = $"model.layers.{layer}.{location}_layernorm.weight";
        AddNormWeight(weight, hfName);
        string output0 = $"{basename}/output_0";
        string output3 = $"{basename}/output_3";
        string[] outputs = last ? [output0] : [output0, string.Empty, string.Empty, output3];
        _nodes.Add(new OnnxNode($"{basename}/SkipLayerNorm", "SkipSimplifiedLayerNormalization", Microsoft, [residual, skip, weight], outputs,
            [OnnxAttribute.Float("epsilon", (float)_shape.Epsilon)]));
        if (!last)
        {
            residual = output3;
        }

        return output0;
    }

    private string AddAttention(int layer, string input)
    {
        string attn = $"/model/layers.{layer}/attn";
        string hf = $"model.layers.{layer}.self_attn";
        string past = $"past_key_values.{layer}";
        string present = $"present.{layer}";
        string[] gqaInputs;
        if (_shape.FuseRotary)
        {
            string qkv = AddProjection($"{attn}/qkv_proj", input, _shape.HiddenSize,
                [($"{hf}.q_proj", _shape.QSize), ($"{hf}.k_proj", _shape.KvSize), ($"{hf}.v_proj", _shape.KvSize)], _shape.AttentionBias);
            AddRotaryCaches();
            gqaInputs = [qkv, string.Empty, string.Empty, $"{past}.key", $"{past}.value", SeqLensK, TotalSeqLen, "cos_cache", "sin_cache"];
        }
        else
        {
            string q = AddProjection($"{attn}/q_proj", input, _shape.HiddenSize, [($"{hf}.q_proj", _shape.QSize)], _shape.AttentionBias);
            string k = AddProjection($"{attn}/k_proj", input, _shape.HiddenSize, [($"{hf}.k_proj", _shape.KvSize)], _shape.AttentionBias);
            string v = AddProjection($"{attn}/v_proj", input, _shape.HiddenSize, [($"{hf}.v_proj", _shape.KvSize)], _shape.AttentionBias);
            AddRotaryCaches();
            q = AddRotary($"{attn}/q_rotary/RotaryEmbedding", q);
            k = AddRotary($"{attn}/k_rotary/RotaryEmbedding", k);
            gqaInputs = [q, k, v, $"{past}.key", $"{past}.value", SeqLensK, TotalSeqLen];
        }

        string gqa = $"{attn}/GroupQueryAttention";
        _nodes.Add(new OnnxNode(gqa, "GroupQueryAttention", Microsoft, gqaInputs, [$"{gqa}/output_0", $"{present}.key", $"{present}.value"],
        [
            OnnxAttribute.Int("num_heads", _shape.NumHeads),
            OnnxAttribute.Int("kv_num_heads", _shape.NumKvHeads),
            OnnxAttribute.Float("scale", (float)(1.0 / Math.Sqrt(_shape.HeadSize))),
            OnnxAttribute.Int("local_window_size", _shape.SlidingWindow),
            OnnxAttribute.Float("softcap", 0f),
            OnnxAttribute.Int("do_rotary", _shape.FuseRotary ? 1 : 0),
            OnnxAttribute.Int("rotary_interleaved", 0),
        ]));
        return AddProjection($"{attn}/o_proj", $"{gqa}/output_0", _shape.QSize, [($"{hf}.o_proj", _shape.HiddenSize)], bias: false);
    }

    private string AddRotary(string name, string input) =>
        // num_heads and rotary_embedding_dim 0: the kernel derives both from the input width and the cache width.
        Node(name, "RotaryEmbedding", [input, PositionIds, "cos_cache", "sin_cache"],
            [OnnxAttribute.Int("interleaved", 0), OnnxAttribute.Int("num_heads", 0), OnnxAttribute.Int("rotary_embedding_dim", 0)],
            domain: Microsoft);

    private void AddRotaryCaches()
    {
        if (_rotaryCachesAdded)
        {
            return;
        }

        _rotaryCachesAdded = true;
        long[] dims = [_shape.ContextLength, _shape.HeadSize / 2];
        _weights.Add(new WeightPlan("cos_cache", dims, WeightLayout.RotaryCos, []));
        _weights.Add(new WeightPlan("sin_cache", dims, WeightLayout.RotarySin, []));
    }

    private string AddMlp(int layer, string input)
    {
        string mlp = $"/model/layers.{layer}/mlp";
        string hf = $"model.layers.{layer}.mlp";
        string gate = AddProjection($"{mlp}/gate_proj", input, _shape.HiddenSize, [($"{hf}.gate_proj", _shape.IntermediateSize)], bias: false);
        string up = AddProjection($"{mlp}/up_proj", input, _shape.HiddenSize, [($"{hf}.up_proj", _shape.IntermediateSize)], bias: false);

        // SiLU as ORT GenAI writes it: x * Sigmoid(x), then the GLU product with the up projection.
        string sigmoid = Node($"{mlp}/act_fn/Sigmoid", "Sigmoid", [gate]);
        string silu = Node($"{mlp}/act_fn/Mul", "Mul", [gate, sigmoid]);
        string product = Node($"{mlp}/Mul", "Mul", [silu, up]);
        return AddProjection($"{mlp}/down_proj", product, _shape.IntermediateSize, [($"{hf}.down_proj", _shape.HiddenSize)], bias: false);
    }

    private void AddLmHead(string input)
    {
        if (_shape.TieEmbeddings && !QuantizesLmHead)
        {
            _nodes.Add(new OnnxNode("/lm_head/MatMul", "MatMul", string.Empty, [input, "lm_head.MatMul.weight"], ["logits"], []));
            return;
        }

        // A quantized tied head reads the embedding's values; the embedding keeps its own float table for the Gather.
        var part = new WeightPart(_shape.TieEmbeddings ? "model.embed_tokens.weight" : "lm_head.weight", [_shape.VocabSize, _shape.HiddenSize], WeightInit.Random);
        AddMatMul("/lm_head/MatMul", input, "lm_head.MatMul.weight", "logits", [part], lmHead: true);
    }

    // A MatMul over Hugging Face [out, in] weights packed side by side, plus an Add of the packed biases.
    private string AddProjection(string basename, string input, int width, (string HfPrefix, int Rows)[] parts, bool bias)
    {
        string weight = basename[1..].Replace('/', '.') + ".MatMul.weight";
        var weightParts = new WeightPart[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            weightParts[i] = new WeightPart($"{parts[i].HfPrefix}.weight", [parts[i].Rows, width], WeightInit.Random);
        }

        string output = AddMatMul($"{basename}/MatMul", input, weight, $"{basename}/MatMul/output_0", weightParts, lmHead: false);
        output = AddLora(basename, input, width, parts, output);
        if (!bias)
        {
            return output;
        }

        string biasName = basename[1..].Replace('/', '.') + ".Add.bias";
        var biasParts = new WeightPart[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            biasParts[i] = new WeightPart($"{parts[i].HfPrefix}.bias", [parts[i].Rows], WeightInit.Random);
        }

        AddWeight(biasName, WeightLayout.AsIs, biasParts);
        return Node($"{basename}/Add", "Add", [output, biasName]);
    }

    private void AddNormWeight(string name, string hfName) =>
        AddWeight(name, WeightLayout.AsIs, new WeightPart(hfName, [_shape.HiddenSize], WeightInit.Ones));

    private void AddWeight(string name, WeightLayout layout, params WeightPart[] parts)
    {
        long[] dims;
        if (layout == WeightLayout.Transposed)
        {
            long rows = 0;
            foreach (WeightPart part in parts)
            {
                rows += part.HfShape[0];
            }

            dims = [parts[0].HfShape[1], rows];
        }
        else if (parts.Length == 1)
        {
            dims = Array.ConvertAll(parts[0].HfShape, d => (long)d);
        }
        else
        {
            long length = 0;
            foreach (WeightPart part in parts)
            {
                length += part.ElementCount;
            }

            dims = [length];
        }

        _weights.Add(new WeightPlan(name, dims, layout, parts));
    }

    // Constants are Constant nodes named as the Python builder names them, emitted once before their first use.
    private string Constant(string name, long[] value, bool vector)
    {
        if (_constants.Add(name))
        {
            byte[] raw = new byte[value.Length * sizeof(long)];
            for (int i = 0; i < value.Length; i++)
            {
                System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(raw.AsSpan(i * sizeof(long)), value[i]);
            }

            var tensor = OnnxTensor.Inline(name, OnnxDataType.Int64, vector ? [value.Length] : [], raw);
            _nodes.Add(new OnnxNode(name.Replace("constants", "constant_nodes", StringComparison.Ordinal), "Constant", string.Empty, [], [name],
                [OnnxAttribute.Tensor("value", tensor)]));
        }

        return name;
    }

    private string Node(string name, string opType, string[] inputs, OnnxAttribute[]? attributes = null, string domain = "", string? output = null)
    {
        output ??= $"{name}/output_0";
        _nodes.Add(new OnnxNode(name, opType, domain, inputs, [output], attributes ?? []));
        return output;
    }

    private List<OnnxValueInfo> Inputs()
    {
        var inputs = new List<OnnxValueInfo>
        {
            new("input_ids", OnnxDataType.Int64, ["batch_size", "sequence_length"]),
            new(AttentionMask, OnnxDataType.Int64, ["batch_size", "total_sequence_length"]),
        };
        if (!_shape.FuseRotary)
        {
            inputs.Add(new(PositionIds, OnnxDataType.Int64, ["batch_size", "sequence_length"]));
        }

        for (int layer = 0; layer < _shape.NumLayers; layer++)
        {
            inputs.Add(new($"past_key_values.{layer}.key", Io, ["batch_size", _shape.NumKvHeads, "past_sequence_length", _shape.HeadSize]));
            inputs.Add(new($"past_key_values.{layer}.value", Io, ["batch_size", _shape.NumKvHeads, "past_sequence_length", _shape.HeadSize]));
        }

        inputs.AddRange(_loraInputs);
        return inputs;
    }

    private List<OnnxValueInfo> Outputs()
    {
        var outputs = new List<OnnxValueInfo> { new("logits", Io, ["batch_size", "sequence_length", _shape.VocabSize]) };
        for (int layer = 0; layer < _shape.NumLayers; layer++)
        {
            outputs.Add(new($"present.{layer}.key", Io, ["batch_size", _shape.NumKvHeads, "total_sequence_length", _shape.HeadSize]));
            outputs.Add(new($"present.{layer}.value", Io, ["batch_size", _shape.NumKvHeads, "total_sequence_length", _shape.HeadSize]));
        }

        return outputs;
    }
}
