using Microsoft.Extensions.Options;

namespace Sllm.Onnx;

/// <summary>Validates <see cref="OnnxChatClientOptions"/> registered through dependency injection, including that
/// <see cref="OnnxChatClientOptions.ModelPath"/> names a model folder, so a bad setting fails at host start rather than at the first request.</summary>
internal sealed class OnnxChatClientOptionsValidator(string name) : IValidateOptions<OnnxChatClientOptions>
{
    public ValidateOptionsResult Validate(string? name1, OnnxChatClientOptions options)
    {
        if (!string.Equals(name1 ?? Options.DefaultName, name, StringComparison.Ordinal))
        {
            return ValidateOptionsResult.Skip;
        }

        try
        {
            options.Validate();
        }
        catch (ArgumentException ex)
        {
            return ValidateOptionsResult.Fail($"OnnxChatClientOptions: {ex.Message}");
        }

        if (string.IsNullOrWhiteSpace(options.ModelPath))
        {
            return ValidateOptionsResult.Fail("OnnxChatClientOptions.ModelPath is required: the folder holding genai_config.json.");
        }

        if (options.Speculation is { Mode: SpeculationMode.DraftModel, DraftModel: null, DraftModelPath: { } draft }
            && !File.Exists(Path.Combine(draft, GenAIConfig.FileName)))
        {
            return ValidateOptionsResult.Fail($"OnnxChatClientOptions.Speculation.DraftModelPath '{draft}' has no {GenAIConfig.FileName}.");
        }

        string config = Path.Combine(options.ModelPath, GenAIConfig.FileName);
        if (!File.Exists(config))
        {
            return ValidateOptionsResult.Fail($"OnnxChatClientOptions.ModelPath '{options.ModelPath}' has no {GenAIConfig.FileName}.");
        }

        foreach (KeyValuePair<string, string> adapter in options.Adapters)
        {
            if (!File.Exists(adapter.Value))
            {
                return ValidateOptionsResult.Fail($"OnnxChatClientOptions.Adapters:{adapter.Key} names '{adapter.Value}', which does not exist.");
            }
        }

        return ValidateOptionsResult.Success;
    }
}
