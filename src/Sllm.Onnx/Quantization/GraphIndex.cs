using Sllm.Onnx.Building;

namespace Sllm.Onnx.Quantization;

/// <summary>The nodes, initializers, graph inputs/outputs and value readers of one parsed <c>GraphProto</c>.</summary>
internal sealed class GraphIndex
{
    private readonly Dictionary<string, int> _readers = new(StringComparer.Ordinal);

    private GraphIndex()
    {
    }

    /// <summary>Gets the nodes with their index among the graph's fields.</summary>
    public List<(int FieldIndex, ProtoMessage Node)> Nodes { get; } = [];

    /// <summary>Gets the initializers by their index among the graph's fields.</summary>
    public Dictionary<int, TensorView> Tensors { get; } = [];

    public Dictionary<string, TensorView> Initializers { get; } = new(StringComparer.Ordinal);

    public HashSet<string> GraphInputs { get; } = new(StringComparer.Ordinal);

    public HashSet<string> GraphOutputs { get; } = new(StringComparer.Ordinal);

    public static GraphIndex Build(ProtoMessage graph, string path)
    {
        var index = new GraphIndex();
        for (int i = 0; i < graph.Fields.Count; i++)
        {
            ProtoField field = graph.Fields[i];
            switch (field.Number)
            {
                case 1:
                    ProtoMessage node = Parse(field, path);
                    index.Nodes.Add((i, node));
                    foreach (string input in node.Strings(1))
                    {
                        index._readers[input] = index._readers.GetValueOrDefault(input) + 1;
                    }

                    // Subgraphs (If/Loop bodies) may read outer initializers unseen; then every float weight stays.
                    if (node.Fields.Exists(f => f.Number == 5 && f.AsMessage().Fields.Exists(a => a.Number is 6 or 11)))
                    {
                        index.HasSubgraphs = true;
                    }

                    break;
                case 5:
                    var tensor = new TensorView(Parse(field, path));
                    index.Tensors[i] = tensor;
                    index.Initializers[tensor.Name] = tensor;
                    break;
                case 11:
                    index.GraphInputs.Add(Parse(field, path).String(1));
                    break;
                case 12:
                    string output = Parse(field, path).String(1);
                    index.GraphOutputs.Add(output);
                    index._readers[output] = index._readers.GetValueOrDefault(output) + 1;
                    break;
                default:
                    break;
            }
        }

        return index;
    }

    /// <summary>Gets a value indicating whether a node holds a subgraph, whose reads of outer values this index cannot see.</summary>
    public bool HasSubgraphs { get; private set; }

    /// <summary>Returns true when every reader of the value is a MatMul being quantized, so the float weight can go.</summary>
    public bool IsOnlyReadBy(string name, Dictionary<int, QuantizedMatMul> targets)
    {
        if (HasSubgraphs)
        {
            return false;
        }

        int quantizedReaders = 0;
        foreach (QuantizedMatMul target in targets.Values)
        {
            quantizedReaders += target.Weight.Name == name ? 1 : 0;
        }

        return quantizedReaders > 0 && quantizedReaders == _readers.GetValueOrDefault(name);
    }

    private static ProtoMessage Parse(ProtoField field, string path)
    {
        try
        {
            return field.AsMessage();
        }
        catch (InvalidDataException ex)
        {
            throw new QuantizationException($"The model {path} is not a readable ONNX model: field {field.Number} of the graph is malformed ({ex.Message}).", path, ex);
        }
    }
}
