using Sllm.Onnx.Quantization;

namespace Sllm.Onnx.Building;

/// <summary>The MatMul emission of <see cref="DecoderGraphBuilder"/>: float <c>MatMul</c>, or <c>MatMulNBits</c> for quantized models.</summary>
internal sealed partial class DecoderGraphBuilder
{
    private bool QuantizesLmHead => _shape.Quantization is { QuantizeLmHead: true };

    // Everything else (norms, the embedding Gather, biases, rotary caches) stays float, as ORT GenAI's int4 CPU export leaves it.
    private string AddMatMul(string nodeName, string input, string weight, string output, WeightPart[] parts, bool lmHead)
    {
        QuantizationSpec? spec = _shape.Quantization;
        if (spec is null || (lmHead && !spec.QuantizeLmHead))
        {
            AddWeight(weight, WeightLayout.Transposed, parts);
            _nodes.Add(new OnnxNode(nodeName, "MatMul", string.Empty, [input, weight], [output], []));
            return output;
        }

        int n = 0;
        foreach (WeightPart part in parts)
        {
            n += part.HfShape[0];
        }

        int k = parts[0].HfShape[1];
        _weights.Add(new WeightPlan(weight, [n, k], WeightLayout.Quantized, parts));
        _nodes.Add(MatMulNBits.Node(nodeName, input, weight, output, k, n, spec));
        return output;
    }
}
