using Microsoft.ML.OnnxRuntime;

namespace Sllm.Onnx.Lora;

/// <summary>Converts PEFT LoRA checkpoints (<c>adapter_model.safetensors</c> + <c>adapter_config.json</c>) to <c>.onnx_adapter</c>
/// files whose tensors feed a base model's LoRA inputs.</summary>
/// <remarks>
/// <para>PEFT's <c>base_model.model.model.layers.{i}.self_attn.q_proj.lora_A.weight</c> [r, in] becomes the graph input
/// <c>model.layers.{i}.self_attn.q_proj.lora_A.weight</c> [in, r] and <c>….lora_B.weight</c> [out, r] becomes [r, out]
/// (MatMul orientation, as Olive's <c>export-adapters</c> writes them), with PEFT's scaling (<c>lora_alpha / r</c>, or
/// <c>lora_alpha / sqrt(r)</c> with <c>use_rslora</c>) folded into B, because the graph has no scaling node. Phi-3's fused
/// <c>qkv_proj</c> and <c>gate_up_proj</c> are split into the builder's per-projection inputs (A shared, B split by rows).
/// Tensors are stored in the element type of the model's inputs.</para>
/// <para>Every tensor must match an adapter input of the model, with the model's width; the error names the tensor
/// otherwise. Thread-safe: conversions share no state.</para>
/// </remarks>
public static class LoraAdapterConverter
{
    /// <summary>The PEFT weights file name.</summary>
    public const string PeftWeightsFileName = "adapter_model.safetensors";

    /// <summary>Converts a PEFT checkpoint folder to an adapter for <paramref name="model"/>.</summary>
    /// <param name="peftDirectory">The folder holding <c>adapter_config.json</c> and <c>adapter_model.safetensors</c>.</param>
    /// <param name="model">The base model (with LoRA inputs) the adapter is for; its inputs decide names, shapes and element type.</param>
    /// <param name="options">Versions to record; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels the file reads.</param>
    /// <returns>The adapter's contents; write them with <see cref="OnnxAdapterFile.WriteAsync"/> or load them with <see cref="LoraAdapter.Create"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="peftDirectory"/> is empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is null.</exception>
    /// <exception cref="LoraAdapterException">A file is missing or malformed, the config uses an unsupported PEFT feature, or a tensor does not fit the model.</exception>
    public static async Task<OnnxAdapterFile> ConvertPeftAsync(string peftDirectory, OnnxModel model, LoraConversionOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(peftDirectory);
        ArgumentNullException.ThrowIfNull(model);
        options ??= new LoraConversionOptions();
        string directory = Path.GetFullPath(peftDirectory);
        string configPath = Path.Combine(directory, PeftAdapterConfig.FileName);
        string weightsPath = Path.Combine(directory, PeftWeightsFileName);
        foreach (string required in new[] { configPath, weightsPath })
        {
            if (!File.Exists(required))
            {
                throw new LoraAdapterException($"{required} is missing: a PEFT LoRA folder holds {PeftAdapterConfig.FileName} and {PeftWeightsFileName} (PeftModel.save_pretrained with safe_serialization).", directory, tensor: null);
            }
        }

        PeftAdapterConfig config = await PeftAdapterConfig.ReadAsync(configPath, cancellationToken).ConfigureAwait(false);
        SafeTensorsFile weights = await SafeTensorsFile.ReadAsync(weightsPath, cancellationToken).ConfigureAwait(false);
        var mapper = new PeftTensorMapper(model, weights, (float)config.Scaling);
        var parameters = new List<LoraParameter>();
        foreach (string name in weights.Names.Order(StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            mapper.Map(name, parameters);
        }

        if (parameters.Count == 0)
        {
            throw new LoraAdapterException($"{weightsPath} holds no LoRA tensors (keys ending in lora_A.weight / lora_B.weight).", weightsPath, tensor: null);
        }

        return new OnnxAdapterFile(parameters) { AdapterVersion = options.AdapterVersion, ModelVersion = options.ModelVersion };
    }

    /// <summary>Converts a PEFT checkpoint folder and writes the <c>.onnx_adapter</c> file.</summary>
    /// <param name="peftDirectory">The folder holding <c>adapter_config.json</c> and <c>adapter_model.safetensors</c>.</param>
    /// <param name="model">The base model the adapter is for.</param>
    /// <param name="outputFile">The file to write (replaced if it exists).</param>
    /// <param name="options">Versions to record; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels the conversion.</param>
    /// <returns>The adapter's contents.</returns>
    /// <exception cref="ArgumentException"><paramref name="peftDirectory"/> or <paramref name="outputFile"/> is empty.</exception>
    /// <exception cref="LoraAdapterException">The checkpoint cannot be converted for this model, or the output cannot be written.</exception>
    public static async Task<OnnxAdapterFile> ConvertPeftToFileAsync(string peftDirectory, OnnxModel model, string outputFile, LoraConversionOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputFile);
        OnnxAdapterFile file = await ConvertPeftAsync(peftDirectory, model, options, cancellationToken).ConfigureAwait(false);
        await file.WriteAsync(outputFile, cancellationToken).ConfigureAwait(false);
        return file;
    }

    internal static LoraDataType InputType(NodeMetadata input) => (LoraDataType)(int)input.ElementDataType;
}
