using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Sllm.Onnx;

/// <summary>Binds the <c>Speculation</c> section of <see cref="OnnxChatClientOptions"/> without reflection.</summary>
/// <remarks>Keys: <c>Mode</c> (<c>None</c>, <c>PromptLookup</c>, <c>DraftModel</c>), <c>DraftModelPath</c>,
/// <c>MaxDraftTokens</c>, <c>InitialDraftTokens</c>, <c>Adaptive</c>, <c>MinAcceptanceRate</c>, <c>CooldownSteps</c>,
/// <c>MinNgramSize</c>, <c>MaxNgramSize</c>. A value that does not parse throws naming its key.</remarks>
internal static class SpeculationOptionsBinder
{
    public static void Bind(IConfigurationSection section, OnnxChatClientOptions options)
    {
        if (!section.Exists())
        {
            return;
        }

        SpeculativeDecodingOptions target = options.Speculation ??= new SpeculativeDecodingOptions();
        if (section["Mode"] is { } mode)
        {
            target.Mode = Enum.TryParse(mode, ignoreCase: true, out SpeculationMode parsed) && Enum.IsDefined(parsed) && parsed != SpeculationMode.Custom
                ? parsed
                : throw new FormatException($"Configuration key '{section.Path}:Mode' must be None, PromptLookup or DraftModel, not '{mode}'.");
        }

        target.DraftModelPath = section["DraftModelPath"] ?? target.DraftModelPath;
        target.MaxDraftTokens = Int(section, "MaxDraftTokens") ?? target.MaxDraftTokens;
        target.InitialDraftTokens = Int(section, "InitialDraftTokens") ?? target.InitialDraftTokens;
        target.CooldownSteps = Int(section, "CooldownSteps") ?? target.CooldownSteps;
        target.MinNgramSize = Int(section, "MinNgramSize") ?? target.MinNgramSize;
        target.MaxNgramSize = Int(section, "MaxNgramSize") ?? target.MaxNgramSize;
        if (section["Adaptive"] is { } adaptive)
        {
            target.Adaptive = bool.TryParse(adaptive, out bool value)
                ? value
                : throw new FormatException($"Configuration key '{section.Path}:Adaptive' must be true or false, not '{adaptive}'.");
        }

        if (section["MinAcceptanceRate"] is { } rate)
        {
            target.MinAcceptanceRate = double.TryParse(rate, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
                ? value
                : throw new FormatException($"Configuration key '{section.Path}:MinAcceptanceRate' must be a number, not '{rate}'.");
        }
    }

    private static int? Int(IConfigurationSection section, string key) => section[key] is not { } text
        ? null
        : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value)
            ? value
            : throw new FormatException($"Configuration key '{section.Path}:{key}' must be an integer, not '{text}'.");
}
