using Microsoft.Extensions.Logging;

namespace Sllm.Onnx;

/// <summary>Log messages of model loading and generation.</summary>
internal static partial class OnnxModelLog
{
    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Loaded {Directory}: type {ModelType}, {Layers} attention layers, context length {ContextLength}, default max length {MaxLength}.")]
    internal static partial void Loaded(ILogger logger, string directory, string modelType, int layers, int contextLength, int maxLength);
}
