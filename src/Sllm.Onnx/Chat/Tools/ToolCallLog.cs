using Microsoft.Extensions.Logging;

namespace Sllm.Onnx;

/// <summary>Log messages of tool-call parsing.</summary>
internal static partial class ToolCallLog
{
    [LoggerMessage(EventId = 40, Level = LogLevel.Warning, Message = "The model wrote a malformed {Format} tool call; it is returned as text: {Reason}. Text: {Text}")]
    internal static partial void MalformedCall(ILogger logger, ToolCallFormat format, string reason, string text);

    [LoggerMessage(EventId = 41, Level = LogLevel.Warning, Message = "A required tool call's parameter schema uses a keyword constrained decoding does not support ({Reason}); the arguments are constrained to any JSON object instead.")]
    internal static partial void ArgumentsUnconstrained(ILogger logger, string reason);
}
