using Google.Protobuf;

namespace Sllm.Onnx.Building;

/// <summary>
/// Reads back the parts of a <c>model.onnx</c> the tests check (IR version, opsets, nodes and their attributes,
/// initializers and their external-data entries), independently of the writer's classes.
/// </summary>
internal static class OnnxFileReader
{
    public sealed record Node(string Name, string OpType, string Domain, List<string> Inputs, List<string> Outputs, Dictionary<string, object> Attributes);

    public sealed record Initializer(string Name, int DataType, List<long> Dims, int DataLocation, Dictionary<string, string> External, int RawBytes);

    public sealed record Model(long IrVersion, string Producer, Dictionary<string, long> Opsets, List<Node> Nodes, List<Initializer> Initializers);

    public static Model Read(string path)
    {
        var input = new CodedInputStream(File.ReadAllBytes(path));
        long ir = 0;
        string producer = string.Empty;
        var opsets = new Dictionary<string, long>(StringComparer.Ordinal);
        var nodes = new List<Node>();
        var initializers = new List<Initializer>();
        foreach ((int field, CodedInputStream value) in Fields(input))
        {
            switch (field)
            {
                case 1: ir = value.ReadInt64(); break;
                case 2: producer = value.ReadString(); break;
                case 7: ReadGraph(Sub(value), nodes, initializers); break;
                case 8:
                    string domain = string.Empty;
                    long version = 0;
                    foreach ((int f, CodedInputStream v) in Fields(Sub(value)))
                    {
                        if (f == 1) { domain = v.ReadString(); } else if (f == 2) { version = v.ReadInt64(); } else { v.SkipLastField(); }
                    }

                    opsets[domain] = version;
                    break;
                default: value.SkipLastField(); break;
            }
        }

        return new Model(ir, producer, opsets, nodes, initializers);
    }

    private static void ReadGraph(CodedInputStream graph, List<Node> nodes, List<Initializer> initializers)
    {
        foreach ((int field, CodedInputStream value) in Fields(graph))
        {
            if (field == 1)
            {
                nodes.Add(ReadNode(Sub(value)));
            }
            else if (field == 5)
            {
                initializers.Add(ReadTensor(Sub(value)));
            }
            else
            {
                value.SkipLastField();
            }
        }
    }

    private static Node ReadNode(CodedInputStream node)
    {
        string name = string.Empty, op = string.Empty, domain = string.Empty;
        List<string> inputs = [], outputs = [];
        var attributes = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach ((int field, CodedInputStream value) in Fields(node))
        {
            switch (field)
            {
                case 1: inputs.Add(value.ReadString()); break;
                case 2: outputs.Add(value.ReadString()); break;
                case 3: name = value.ReadString(); break;
                case 4: op = value.ReadString(); break;
                case 5: ReadAttribute(Sub(value), attributes); break;
                case 7: domain = value.ReadString(); break;
                default: value.SkipLastField(); break;
            }
        }

        return new Node(name, op, domain, inputs, outputs, attributes);
    }

    private static void ReadAttribute(CodedInputStream attribute, Dictionary<string, object> attributes)
    {
        string name = string.Empty;
        object? result = null;
        var ints = new List<long>();
        foreach ((int field, CodedInputStream value) in Fields(attribute))
        {
            switch (field)
            {
                case 1: name = value.ReadString(); break;
                case 2: result = value.ReadFloat(); break;
                case 3: result = value.ReadInt64(); break;
                case 5: result = ReadTensor(Sub(value)); break;
                case 8: ints.Add(value.ReadInt64()); break;
                default: value.SkipLastField(); break;
            }
        }

        attributes[name] = result ?? ints;
    }

    private static Initializer ReadTensor(CodedInputStream tensor)
    {
        string name = string.Empty;
        int type = 0, location = 0, raw = 0;
        var dims = new List<long>();
        var external = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach ((int field, CodedInputStream value) in Fields(tensor))
        {
            switch (field)
            {
                case 1: dims.Add(value.ReadInt64()); break;
                case 2: type = value.ReadInt32(); break;
                case 8: name = value.ReadString(); break;
                case 9: raw = value.ReadBytes().Length; break;
                case 13:
                    string key = string.Empty, text = string.Empty;
                    foreach ((int f, CodedInputStream v) in Fields(Sub(value)))
                    {
                        if (f == 1) { key = v.ReadString(); } else { text = v.ReadString(); }
                    }

                    external[key] = text;
                    break;
                case 14: location = value.ReadInt32(); break;
                default: value.SkipLastField(); break;
            }
        }

        return new Initializer(name, type, dims, location, external, raw);
    }

    private static CodedInputStream Sub(CodedInputStream input) => new(input.ReadBytes().ToByteArray());

    // Yields each field number with the stream positioned at its value; the caller reads or skips it.
    private static IEnumerable<(int Field, CodedInputStream Input)> Fields(CodedInputStream input)
    {
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            yield return (WireFormat.GetTagFieldNumber(tag), input);
        }
    }
}
