using Microsoft.ML.OnnxRuntime;
using Sllm.Onnx.Building;

namespace Sllm.Onnx.Quantization;

/// <summary>
/// Creates a session whose <c>MatMulNBits</c> nodes run at a chosen <c>accuracy_level</c>: the graph is read, the
/// attribute replaced, and the session built from the rewritten bytes with external data resolved in the model's folder.
/// </summary>
/// <remarks>ONNX Runtime 1.31 has no session option for this; <c>session.qdq_matmulnbits_accuracy_level</c> only sets the level
/// of nodes it fuses from DequantizeLinear + MatMul. Stateless and thread-safe.</remarks>
internal static class AccuracyLevelOverride
{
    private const string ExternalDataFolder = "session.model_external_initializers_file_folder_path";

    public static InferenceSession CreateSession(string modelFile, SessionOptions sessionOptions, int? accuracyLevel)
    {
        if (accuracyLevel is not { } level)
        {
            return new InferenceSession(modelFile, sessionOptions);
        }

        byte[]? rewritten = Rewrite(File.ReadAllBytes(modelFile), level);
        if (rewritten is null)
        {
            return new InferenceSession(modelFile, sessionOptions);
        }

        sessionOptions.AddSessionConfigEntry(ExternalDataFolder, Path.GetDirectoryName(Path.GetFullPath(modelFile))!);
        return new InferenceSession(rewritten, sessionOptions);
    }

    /// <summary>Returns the model with every MatMulNBits node at <paramref name="level"/>, or null when it has none.</summary>
    internal static byte[]? Rewrite(byte[] model, int level)
    {
        ProtoMessage root = ProtoMessage.Parse(model);
        int graphIndex = root.Fields.FindIndex(f => f.Number == 7);
        if (graphIndex < 0)
        {
            return null;
        }

        ProtoMessage graph = root.Fields[graphIndex].AsMessage();
        int changed = 0;
        for (int i = 0; i < graph.Fields.Count; i++)
        {
            if (graph.Fields[i].Number != 1)
            {
                continue;
            }

            ProtoMessage node = graph.Fields[i].AsMessage();
            if (node.String(4) != MatMulNBits.OpType || node.String(7) != MatMulNBits.Domain)
            {
                continue;
            }

            node.Fields.RemoveAll(f => f.Number == 5 && f.AsMessage().String(1) == "accuracy_level");
            if (level > 0)
            {
                node.Fields.Add(ProtoField.Of(5, OnnxAttribute.Int("accuracy_level", level)));
            }

            graph.Fields[i] = ProtoField.Of(1, node);
            changed++;
        }

        if (changed == 0)
        {
            return null;
        }

        root.Fields[graphIndex] = ProtoField.Of(7, graph);
        using var stream = new MemoryStream(root.CalculateSize());
        root.WriteTo(stream);
        return stream.ToArray();
    }
}
