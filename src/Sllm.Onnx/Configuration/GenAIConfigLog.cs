using Microsoft.Extensions.Logging;

namespace Sllm.Onnx;

/// <summary>Log messages of <see cref="GenAIConfig"/> loading.</summary>
internal static partial class GenAIConfigLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Unknown key {JsonPath} in {File} was ignored.")]
    internal static partial void UnknownKey(ILogger logger, string jsonPath, string file);

    [LoggerMessage(
        EventId = 2,
        Level = LogLevel.Warning,
        Message = "Key {JsonPath} in {File} is an ONNX Runtime GenAI setting that Sllm does not support yet; it was ignored.")]
    internal static partial void UnsupportedKey(ILogger logger, string jsonPath, string file);

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "Loaded {File}: model type {ModelType}, context length {ContextLength}.")]
    internal static partial void Loaded(ILogger logger, string file, string modelType, int contextLength);
}
