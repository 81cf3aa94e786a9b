using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Sllm.Onnx;

/// <summary>Binds <see cref="OnnxChatClientOptions"/> from configuration without reflection, so the registration stays
/// trimming- and AOT-safe.</summary>
/// <remarks>Keys: <c>ModelPath</c>, <c>ModelId</c>, <c>DefaultMaxOutputTokens</c>, <c>PrefixCacheMaxBytes</c>, <c>StopSequences</c> (array),
/// <c>ToolCallFormat</c> (a <see cref="Onnx.ToolCallFormat"/> name),
/// <c>Model:MaxLength</c>, <c>Model:IntraOpNumThreads</c>, <c>Model:MatMulNBitsAccuracyLevel</c>, <c>Model:RequireTokenizer</c>, <c>Model:ExecutionProviders</c>
/// (array), <c>Model:SessionConfigEntries</c> (object), <c>Speculation:*</c> (see <see cref="SpeculationOptionsBinder"/>), <c>Adapters</c> (object: name → <c>.onnx_adapter</c> path), <c>DefaultAdapter</c>.
/// A value that does not parse throws naming its key.</remarks>
internal static class OnnxChatClientOptionsBinder
{
    public static void Bind(IConfiguration configuration, OnnxChatClientOptions options)
    {
        options.ModelPath = configuration["ModelPath"] ?? options.ModelPath;
        options.ModelId = configuration["ModelId"] ?? options.ModelId;
        options.DefaultMaxOutputTokens = Int(configuration, "DefaultMaxOutputTokens") ?? options.DefaultMaxOutputTokens;
        options.PrefixCacheMaxBytes = Long(configuration, "PrefixCacheMaxBytes") ?? options.PrefixCacheMaxBytes;
        if (configuration["ToolCallFormat"] is { } format)
        {
            options.ToolCallFormat = Enum.TryParse(format, ignoreCase: true, out ToolCallFormat parsed) && Enum.IsDefined(parsed)
                ? parsed
                : throw new FormatException($"Configuration key 'ToolCallFormat' must be one of {string.Join(", ", Enum.GetNames<ToolCallFormat>())}, not '{format}'.");
        }

        foreach (IConfigurationSection stop in configuration.GetSection("StopSequences").GetChildren())
        {
            if (stop.Value is { } value)
            {
                options.StopSequences.Add(value);
            }
        }

        options.DefaultAdapter = configuration["DefaultAdapter"] ?? options.DefaultAdapter;
        foreach (IConfigurationSection adapter in configuration.GetSection("Adapters").GetChildren())
        {
            if (adapter.Value is { } path)
            {
                options.Adapters[adapter.Key] = path;
            }
        }

        SpeculationOptionsBinder.Bind(configuration.GetSection("Speculation"), options);
        IConfigurationSection model = configuration.GetSection("Model");
        options.Model.MaxLength = Int(model, "MaxLength") ?? options.Model.MaxLength;
        options.Model.IntraOpNumThreads = Int(model, "IntraOpNumThreads") ?? options.Model.IntraOpNumThreads;
        options.Model.MatMulNBitsAccuracyLevel = Int(model, "MatMulNBitsAccuracyLevel") ?? options.Model.MatMulNBitsAccuracyLevel;
        if (model["RequireTokenizer"] is { } require)
        {
            options.Model.RequireTokenizer = bool.TryParse(require, out bool value)
                ? value
                : throw new FormatException($"Configuration key '{model.Path}:RequireTokenizer' must be true or false, not '{require}'.");
        }

        foreach (IConfigurationSection provider in model.GetSection("ExecutionProviders").GetChildren())
        {
            if (provider.Value is { } value)
            {
                options.Model.ExecutionProviders.Add(value);
            }
        }

        foreach (IConfigurationSection entry in model.GetSection("SessionConfigEntries").GetChildren())
        {
            if (entry.Value is { } value)
            {
                options.Model.SessionConfigEntries[entry.Key] = value;
            }
        }
    }

    private static long? Long(IConfiguration configuration, string key)
    {
        string? text = configuration[key];
        if (text is null)
        {
            return null;
        }

        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long value)
            ? value
            : throw new FormatException($"Configuration key '{key}' must be an integer, not '{text}'.");
    }

    private static int? Int(IConfiguration configuration, string key)
    {
        string? text = configuration[key];
        if (text is null)
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value)
            ? value
            : throw new FormatException($"Configuration key '{key}' must be an integer, not '{text}'.");
    }
}
