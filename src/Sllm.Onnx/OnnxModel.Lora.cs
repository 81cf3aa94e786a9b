namespace Sllm.Onnx;

public sealed partial class OnnxModel
{
    private IReadOnlyDictionary<string, IReadOnlyList<int>>? adapterInputs;

    /// <summary>Gets the optional inputs an adapter may feed (the LoRA <c>lora_A</c>/<c>lora_B</c> weights of a LoRA-ready base
    /// model), by name, with their shapes; -1 marks a free dimension (the LoRA rank). Empty for a plain model.</summary>
    /// <remarks>See docs/lora.md. Computed once; safe to read from several threads.</remarks>
    public IReadOnlyDictionary<string, IReadOnlyList<int>> AdapterInputs
    {
        get
        {
            if (adapterInputs is null)
            {
                var inputs = new SortedDictionary<string, IReadOnlyList<int>>(StringComparer.Ordinal);
                foreach (KeyValuePair<string, Microsoft.ML.OnnxRuntime.NodeMetadata> input in Graph.AdapterInputs)
                {
                    int[] dims = [.. input.Value.Dimensions];
                    for (int i = 0; i < dims.Length; i++)
                    {
                        dims[i] = dims[i] > 0 ? dims[i] : -1;
                    }

                    inputs[input.Key] = dims;
                }

                adapterInputs = inputs;
            }

            return adapterInputs;
        }
    }
}
