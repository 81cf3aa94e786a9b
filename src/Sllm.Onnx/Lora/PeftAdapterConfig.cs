using System.Text.Json;

namespace Sllm.Onnx.Lora;

/// <summary>The parts of PEFT's <c>adapter_config.json</c> that decide how a LoRA checkpoint maps onto the model.</summary>
/// <remarks>Settings Sllm cannot serve exactly (DoRA, trained biases, per-module ranks, saved full modules, Conv1D layouts)
/// are rejected with the field named rather than silently converted wrong.</remarks>
internal sealed class PeftAdapterConfig
{
    public const string FileName = "adapter_config.json";

    public required int Rank { get; init; }

    public required double Alpha { get; init; }

    public bool UseRsLora { get; init; }

    /// <summary>Gets the factor folded into B: <c>lora_alpha / r</c>, or <c>lora_alpha / sqrt(r)</c> with rsLoRA.</summary>
    public double Scaling => UseRsLora ? Alpha / Math.Sqrt(Rank) : Alpha / Rank;

    public static async Task<PeftAdapterConfig> ReadAsync(string path, CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new LoraAdapterException($"{path} could not be read: {ex.Message}", path, tensor: null, ex);
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(bytes);
            return Parse(document.RootElement, path);
        }
        catch (JsonException ex)
        {
            throw new LoraAdapterException($"{path} is not valid JSON: {ex.Message}", path, tensor: null, ex);
        }
    }

    private static PeftAdapterConfig Parse(JsonElement root, string path)
    {
        if (root.TryGetProperty("peft_type", out JsonElement type) && type.ValueKind == JsonValueKind.String && type.GetString() != "LORA")
        {
            throw Unsupported(path, "peft_type", $"is '{type.GetString()}'; only LORA adapters convert.");
        }

        int rank = root.TryGetProperty("r", out JsonElement r) && r.TryGetInt32(out int rv) && rv > 0
            ? rv
            : throw Unsupported(path, "r", "must be a positive integer.");
        double alpha = root.TryGetProperty("lora_alpha", out JsonElement a) && a.TryGetDouble(out double av)
            ? av
            : throw Unsupported(path, "lora_alpha", "must be a number.");
        RejectIfTrue(root, path, "use_dora", "DoRA adds a magnitude vector the LoRA graph inputs cannot carry");
        RejectIfTrue(root, path, "fan_in_fan_out", "fan-in/fan-out (Conv1D) layouts are not the Llama-style Linear layers the builder writes");
        RejectIfNonEmpty(root, path, "rank_pattern");
        RejectIfNonEmpty(root, path, "alpha_pattern");
        RejectIfNonEmpty(root, path, "modules_to_save");
        if (root.TryGetProperty("bias", out JsonElement bias) && bias.ValueKind == JsonValueKind.String && bias.GetString() != "none")
        {
            throw Unsupported(path, "bias", $"is '{bias.GetString()}'; trained biases cannot be fed as LoRA inputs (use \"none\").");
        }

        bool rslora = root.TryGetProperty("use_rslora", out JsonElement rs) && rs.ValueKind == JsonValueKind.True;
        return new PeftAdapterConfig { Rank = rank, Alpha = alpha, UseRsLora = rslora };
    }

    private static void RejectIfTrue(JsonElement root, string path, string field, string why)
    {
        if (root.TryGetProperty(field, out JsonElement value) && value.ValueKind == JsonValueKind.True)
        {
            throw Unsupported(path, field, $"is true: {why}.");
        }
    }

    private static void RejectIfNonEmpty(JsonElement root, string path, string field)
    {
        if (root.TryGetProperty(field, out JsonElement value)
            && ((value.ValueKind == JsonValueKind.Object && value.EnumerateObject().Any()) || (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() > 0)))
        {
            throw Unsupported(path, field, "is set; per-module ranks or scalings and fully saved modules are not supported. Merge or retrain without it.");
        }
    }

    private static LoraAdapterException Unsupported(string path, string field, string message) =>
        new($"{path}: '{field}' {message}", path, field);
}
