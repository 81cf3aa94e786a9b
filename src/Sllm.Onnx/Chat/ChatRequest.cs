using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Sllm.Generation;

namespace Sllm.Onnx;

/// <summary>One request's settings, mapped from <see cref="ChatOptions"/> onto the engine.</summary>
/// <remarks>
/// Mapping: <c>Temperature</c> 0 is greedy and above 0 samples; <c>TopP</c>/<c>TopK</c> turn sampling on; <c>Seed</c>,
/// <c>FrequencyPenalty</c> and <c>PresencePenalty</c> (OpenAI's additive penalties over generated tokens) map one to one.
/// <c>AdditionalProperties</c> may carry the engine's own knobs under ONNX Runtime GenAI's search names
/// (<c>repetition_penalty</c>, <c>top_k</c>, <c>top_p</c>, <c>min_p</c>, <c>temperature</c>, <c>do_sample</c>,
/// <c>no_repeat_ngram_size</c>, <c>min_length</c>, <c>random_seed</c>); every other entry becomes a chat-template variable
/// (for example <c>enable_thinking</c>).
/// </remarks>
internal sealed class ChatRequest
{
    private ChatRequest(SamplingOptions sampling, int? maxOutputTokens, List<string> stops, Dictionary<string, object?> variables)
    {
        Sampling = sampling;
        MaxOutputTokens = maxOutputTokens;
        StopSequences = stops;
        TemplateVariables = variables;
    }

    public SamplingOptions Sampling { get; }

    public int? MaxOutputTokens { get; }

    public IReadOnlyList<string> StopSequences { get; }

    public Dictionary<string, object?> TemplateVariables { get; }

    public static ChatRequest Create(OnnxModel model, OnnxChatClientOptions clientOptions, ChatOptions? options, string modelId)
    {
        if (options?.ModelId is { } requested && !string.Equals(requested, modelId, StringComparison.Ordinal))
        {
            throw new ArgumentException($"ChatOptions.ModelId '{requested}' does not match this client's model '{modelId}'.", nameof(options));
        }

        SamplingOptions sampling = model.DefaultSamplingOptions;
        var stops = new List<string>(clientOptions.StopSequences);
        var variables = new Dictionary<string, object?>(StringComparer.Ordinal);
        int? maxOutput = clientOptions.DefaultMaxOutputTokens;
        if (options is null)
        {
            return new ChatRequest(sampling, maxOutput, stops, variables);
        }

        if (options.MaxOutputTokens is int max)
        {
            maxOutput = max > 0 ? max : throw new ArgumentOutOfRangeException(nameof(options), max, "ChatOptions.MaxOutputTokens must be positive.");
        }

        if (options.Temperature is float temperature)
        {
            sampling.Temperature = temperature;
            sampling.DoSample = temperature > 0;
        }

        if (options.TopP is float topP)
        {
            sampling.TopP = topP;
            sampling.DoSample = true;
        }

        if (options.TopK is int topK)
        {
            sampling.TopK = topK;
            sampling.DoSample = true;
        }

        if (options.Seed is long seed)
        {
            sampling.Seed = unchecked((int)(seed ^ (seed >> 32))) & int.MaxValue;
        }

        if (options.FrequencyPenalty is float frequency)
        {
            sampling.FrequencyPenalty = frequency;
        }

        if (options.PresencePenalty is float presence)
        {
            sampling.PresencePenalty = presence;
        }

        if (options.StopSequences is { } requestStops)
        {
            foreach (string stop in requestStops)
            {
                if (!string.IsNullOrEmpty(stop))
                {
                    stops.Add(stop);
                }
            }
        }

        if (options.AdditionalProperties is { } extra)
        {
            foreach (KeyValuePair<string, object?> entry in extra)
            {
                // The adapter choice is the client's (OnnxChatClient.Adapters), not a template variable.
                if (entry.Key == Lora.LoraChatOptionsExtensions.AdapterKey)
                {
                    continue;
                }

                if (entry.Key != SpeculationChatOptionsExtensions.PropertyName && !ApplyKnob(sampling, entry.Key, entry.Value))
                {
                    variables[entry.Key] = entry.Value;
                }
            }
        }

        sampling.Validate(model.VocabularySize);
        return new ChatRequest(sampling, maxOutput, stops, variables);
    }

    private static bool ApplyKnob(SamplingOptions sampling, string key, object? value)
    {
        switch (key)
        {
            case "do_sample": sampling.DoSample = ToBool(key, value); return true;
            case "temperature": sampling.Temperature = (float)ToDouble(key, value); return true;
            case "top_k": sampling.TopK = (int)ToDouble(key, value); return true;
            case "top_p": sampling.TopP = (float)ToDouble(key, value); return true;
            case "min_p": sampling.MinP = (float)ToDouble(key, value); return true;
            case "repetition_penalty": sampling.RepetitionPenalty = (float)ToDouble(key, value); return true;
            case "no_repeat_ngram_size": sampling.NoRepeatNgramSize = (int)ToDouble(key, value); return true;
            case "min_length": sampling.MinLength = (int)ToDouble(key, value); return true;
            case "random_seed": sampling.Seed = (int)ToDouble(key, value) is var s && s >= 0 ? s : null; return true;
            default: return false;
        }
    }

    private static double ToDouble(string key, object? value) => value switch
    {
        double d => d,
        float f => f,
        int i => i,
        long l => l,
        decimal m => (double)m,
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed) => parsed,
        JsonElement { ValueKind: JsonValueKind.Number } e => e.GetDouble(),
        _ => throw new ArgumentException($"ChatOptions.AdditionalProperties['{key}'] must be a number, not '{value}'.", nameof(value)),
    };

    private static bool ToBool(string key, object? value) => value switch
    {
        bool b => b,
        string s when bool.TryParse(s, out bool parsed) => parsed,
        JsonElement { ValueKind: JsonValueKind.True or JsonValueKind.False } e => e.GetBoolean(),
        _ => throw new ArgumentException($"ChatOptions.AdditionalProperties['{key}'] must be a boolean, not '{value}'.", nameof(value)),
    };
}
