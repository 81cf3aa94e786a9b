using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Sllm.Onnx.Runtime;

/// <summary>Reads a session's inputs and outputs and checks them against the decoder section of <c>genai_config.json</c>.</summary>
/// <remarks>Every disagreement becomes a <see cref="ModelLoadException"/> naming the config file, the JSON field and the graph
/// tensor, because a silently skipped input would generate garbage rather than fail.</remarks>
internal sealed class DecoderGraphReader
{
    private readonly GenAIConfig config;
    private readonly string configPath;
    private readonly string modelPath;
    private readonly IReadOnlyDictionary<string, NodeMetadata> inputs;
    private readonly IReadOnlyDictionary<string, NodeMetadata> outputs;
    private readonly HashSet<string> fed = new(StringComparer.Ordinal);

    private readonly IReadOnlyDictionary<string, NodeMetadata> overridable;

    public DecoderGraphReader(
        GenAIConfig config,
        string modelPath,
        IReadOnlyDictionary<string, NodeMetadata> inputs,
        IReadOnlyDictionary<string, NodeMetadata> outputs,
        IReadOnlyDictionary<string, NodeMetadata>? overridable = null)
    {
        // ORT lists inputs that have an initializer (LoRA weights with rank-0 defaults) here, not among the inputs, so
        // they never reach the "input Sllm cannot feed" check below and are only fed when an adapter names them.
        this.overridable = overridable ?? new Dictionary<string, NodeMetadata>();
        this.config = config;
        configPath = config.Path ?? GenAIConfig.FileName;
        this.modelPath = modelPath;
        this.inputs = inputs;
        this.outputs = outputs;
    }

    public DecoderGraph Read()
    {
        GenAIDecoderConfig decoder = config.Model.Decoder;
        GenAIDecoderInputNames names = decoder.Inputs;

        if (!inputs.TryGetValue(names.InputIds, out NodeMetadata? ids))
        {
            string detail = inputs.ContainsKey(names.InputsEmbeds)
                ? $" The graph takes '{names.InputsEmbeds}' instead: models whose decoder takes embeddings (vision-language text decoders) are not supported."
                : string.Empty;
            throw Mismatch("model.decoder.inputs.input_ids", $"names the input '{names.InputIds}', which the graph does not have (its inputs: {List(inputs.Keys)}).{detail}");
        }

        TensorElementType idType = IntegerType(ids, names.InputIds, "model.decoder.inputs.input_ids");
        fed.Add(names.InputIds);

        string? mask = null;
        TensorElementType maskType = TensorElementType.Int64;
        if (inputs.TryGetValue(names.AttentionMask, out NodeMetadata? maskMeta))
        {
            mask = names.AttentionMask;
            maskType = IntegerType(maskMeta, mask, "model.decoder.inputs.attention_mask");
            fed.Add(mask);
        }

        string? positions = null;
        TensorElementType positionType = TensorElementType.Int64;
        if (inputs.TryGetValue(names.PositionIds, out NodeMetadata? positionMeta))
        {
            positions = names.PositionIds;
            positionType = IntegerType(positionMeta, positions, "model.decoder.inputs.position_ids");
            fed.Add(positions);
        }

        (string logits, TensorElementType logitsType, int vocab, bool allPositions) = ReadLogits(decoder);
        var graph = ReadCache(decoder);
        foreach (string input in inputs.Keys)
        {
            if (!fed.Contains(input))
            {
                if (IsHigherLayer(input, decoder))
                {
                    throw Mismatch("model.decoder.num_hidden_layers", $"is {decoder.NumHiddenLayers}, but the graph also takes '{input}' of a later layer.");
                }

                throw Mismatch(
                    "model.decoder.inputs",
                    $"does not name the graph input '{input}', and Sllm does not know how to feed it. Map it in genai_config.json or export the model without it.");
            }
        }

        return new DecoderGraph
        {
            InputIds = names.InputIds,
            IdType = idType,
            AttentionMask = mask,
            MaskType = maskType,
            PositionIds = positions,
            PositionType = positionType,
            Logits = logits,
            LogitsType = logitsType,
            LogitsForAllPositions = allPositions,
            VocabSize = vocab,
            KvLayers = graph.Layers,
            CombinedKv = graph.Combined,
            KvType = graph.Type,
            KvHeads = graph.Heads,
            HeadSize = graph.HeadSize,
            ConvLayers = graph.Conv,
            AdapterInputs = overridable,
        };
    }

    private (string Name, TensorElementType Type, int Vocab, bool AllPositions) ReadLogits(GenAIDecoderConfig decoder)
    {
        string name = decoder.Outputs.Logits;
        if (!outputs.TryGetValue(name, out NodeMetadata? meta))
        {
            throw Mismatch("model.decoder.outputs.logits", $"names the output '{name}', which the graph does not have (its outputs: {List(outputs.Keys)}).");
        }

        TensorElementType type = FloatType(meta, name, "model.decoder.outputs.logits");
        int[] dims = meta.Dimensions;
        if (dims.Length != 3)
        {
            throw Mismatch("model.decoder.outputs.logits", $"names '{name}', which has {dims.Length} dimensions; logits must be [batch, sequence, vocabulary].");
        }

        int vocab = config.Model.VocabSize;
        if (dims[2] > 0 && vocab > 0 && dims[2] != vocab)
        {
            throw Mismatch("model.vocab_size", $"is {vocab}, but the graph's '{name}' output has {dims[2]} entries per position.");
        }

        if (vocab <= 0)
        {
            vocab = dims[2] > 0 ? dims[2] : throw Mismatch("model.vocab_size", "is missing, and the graph's logits do not fix it either.");
        }

        return (name, type, vocab, dims[1] != 1);
    }

    private (List<KvLayer> Layers, bool Combined, TensorElementType Type, int Heads, int HeadSize, List<ConvStateLayer> Conv) ReadCache(GenAIDecoderConfig decoder)
    {
        int layerCount = decoder.NumHiddenLayers;
        if (layerCount <= 0)
        {
            throw Mismatch("model.decoder.num_hidden_layers", $"is {layerCount}; it must give the number of layers so the cache can be built.");
        }

        IReadOnlyList<string> layerTypes = decoder.LayerTypes;
        if (layerTypes.Count != 0 && layerTypes.Count != layerCount)
        {
            throw Mismatch("model.decoder.layer_types", $"has {layerTypes.Count} entries but num_hidden_layers is {layerCount}.");
        }

        bool combined = decoder.Inputs.PastNames is not null;
        var layers = new List<KvLayer>();
        var conv = new List<ConvStateLayer>();
        TensorElementType type = TensorElementType.Float;
        int heads = decoder.NumKeyValueHeads, headSize = decoder.HeadSize;
        for (int i = 0; i < layerCount; i++)
        {
            if (layerTypes.Count != 0 && string.Equals(layerTypes[i], "conv", StringComparison.OrdinalIgnoreCase))
            {
                conv.Add(ReadConv(decoder, i));
                continue;
            }

            if (i > 0 && layers.Count > 0)
            {
                string expected = Format(combined ? decoder.Inputs.PastNames! : decoder.Inputs.PastKeyNames, i);
                if (!inputs.ContainsKey(expected))
                {
                    throw Mismatch("model.decoder.num_hidden_layers", $"is {layerCount}, but the graph has no '{expected}': it has {layers.Count + conv.Count} layer(s).");
                }
            }

            KvLayer layer = combined
                ? new KvLayer(
                    Require(Format(decoder.Inputs.PastNames!, i), inputs, "model.decoder.inputs.past_names"),
                    null,
                    Require(Format(decoder.Outputs.PresentNames ?? "present_%d", i), outputs, "model.decoder.outputs.present_names"),
                    null)
                : new KvLayer(
                    Require(Format(decoder.Inputs.PastKeyNames, i), inputs, "model.decoder.inputs.past_key_names"),
                    Require(Format(decoder.Inputs.PastValueNames, i), inputs, "model.decoder.inputs.past_value_names"),
                    Require(Format(decoder.Outputs.PresentKeyNames, i), outputs, "model.decoder.outputs.present_key_names"),
                    Require(Format(decoder.Outputs.PresentValueNames, i), outputs, "model.decoder.outputs.present_value_names"));
            NodeMetadata meta = inputs[layer.PastKey];
            type = FloatType(meta, layer.PastKey, combined ? "model.decoder.inputs.past_names" : "model.decoder.inputs.past_key_names");
            int offset = combined ? 1 : 0;
            int[] dims = meta.Dimensions;
            if (dims.Length != 4 + offset)
            {
                throw Mismatch(combined ? "model.decoder.inputs.past_names" : "model.decoder.inputs.past_key_names", $"names '{layer.PastKey}', which has {dims.Length} dimensions; expected {4 + offset}.");
            }

            heads = Dimension(dims[1 + offset], heads, layer.PastKey, "model.decoder.num_key_value_heads");
            headSize = Dimension(dims[3 + offset], headSize, layer.PastKey, "model.decoder.head_size");
            layers.Add(layer);
            fed.Add(layer.PastKey);
            if (layer.PastValue is not null)
            {
                fed.Add(layer.PastValue);
            }
        }

        if (layers.Count > 0 && (heads <= 0 || headSize <= 0))
        {
            throw Mismatch(heads <= 0 ? "model.decoder.num_key_value_heads" : "model.decoder.head_size", "is missing, and the graph's cache inputs do not fix it either.");
        }

        return (layers, combined, type, heads, headSize, conv);
    }

    private ConvStateLayer ReadConv(GenAIDecoderConfig decoder, int layer)
    {
        string past = Require(Format(decoder.Inputs.PastConvNames, layer), inputs, "model.decoder.inputs.past_conv_names");
        string present = Require(Format(decoder.Outputs.PresentConvNames, layer), outputs, "model.decoder.outputs.present_conv_names");
        int[] dims = inputs[past].Dimensions;
        if (dims.Length != 3)
        {
            throw Mismatch("model.decoder.inputs.past_conv_names", $"names '{past}', which has {dims.Length} dimensions; expected [batch, channels, width].");
        }

        int channels = Dimension(dims[1], decoder.HiddenSize, past, "model.decoder.hidden_size");
        int width = Dimension(dims[2], decoder.ConvCacheSize, past, "model.decoder.conv_cache_size");
        if (channels <= 0 || width <= 0)
        {
            throw Mismatch("model.decoder.conv_cache_size", $"and hidden_size must give the shape of '{past}' when the graph does not.");
        }

        fed.Add(past);
        return new ConvStateLayer(past, present, channels, width);
    }

    private int Dimension(int graphValue, int configValue, string tensor, string field)
    {
        if (graphValue > 0 && configValue > 0 && graphValue != configValue)
        {
            throw Mismatch(field, $"is {configValue}, but the graph's '{tensor}' has {graphValue} there.");
        }

        return graphValue > 0 ? graphValue : configValue;
    }

    private string Require(string name, IReadOnlyDictionary<string, NodeMetadata> map, string field)
    {
        if (!map.ContainsKey(name))
        {
            string kind = ReferenceEquals(map, inputs) ? "input" : "output";
            throw Mismatch(field, $"gives '{name}', which is not a graph {kind} (the graph's {kind}s: {List(map.Keys)}).");
        }

        return name;
    }

    private TensorElementType IntegerType(NodeMetadata meta, string name, string field)
    {
        TensorElementType type = meta.ElementDataType;
        return type is TensorElementType.Int32 or TensorElementType.Int64
            ? type
            : throw Mismatch(field, $"names '{name}', whose element type is {TensorElementTypes.Name(type)}; it must be int32 or int64.");
    }

    private TensorElementType FloatType(NodeMetadata meta, string name, string field)
    {
        TensorElementType type = meta.ElementDataType;
        return type is TensorElementType.Float or TensorElementType.Float16
            ? type
            : throw Mismatch(field, $"names '{name}', whose element type is {TensorElementTypes.Name(type)}; Sllm supports float32 and float16.");
    }

    private ModelLoadException Mismatch(string field, string message) =>
        new($"{configPath}: {field} {message} (model file: {modelPath})", configPath, field);

    private static bool IsHigherLayer(string input, GenAIDecoderConfig decoder)
    {
        string pattern = decoder.Inputs.PastNames ?? decoder.Inputs.PastKeyNames;
        for (int layer = decoder.NumHiddenLayers; layer < decoder.NumHiddenLayers + 512; layer++)
        {
            if (string.Equals(input, Format(pattern, layer), StringComparison.Ordinal)
                || string.Equals(input, Format(decoder.Inputs.PastValueNames, layer), StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static string Format(string pattern, int layer) =>
        pattern.Replace("%d", layer.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);

    private static string List(IEnumerable<string> names) => string.Join(", ", names);
}
