namespace Sllm.Onnx.Building;

/// <summary>One Hugging Face tensor that goes into an initializer: its name, its shape in Hugging Face layout and its default.</summary>
internal sealed record WeightPart(string HfName, int[] HfShape, WeightInit Init)
{
    public long ElementCount
    {
        get
        {
            long count = 1;
            foreach (int dim in HfShape)
            {
                count *= dim;
            }

            return count;
        }
    }
}
