namespace Sllm.Onnx.Lora;

/// <summary>Options for <see cref="LoraAdapterConverter"/>.</summary>
/// <remarks>Plain data, read once per conversion; not thread-safe while being changed.</remarks>
public sealed class LoraConversionOptions
{
    /// <summary>Gets or sets the adapter version written into the file.</summary>
    /// <value>The default is 1.</value>
    public int AdapterVersion { get; set; } = 1;

    /// <summary>Gets or sets the model version written into the file.</summary>
    /// <value>The default is 1.</value>
    public int ModelVersion { get; set; } = 1;
}
