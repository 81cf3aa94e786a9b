using Microsoft.Extensions.Logging;

namespace Sllm.Onnx;

/// <summary>Log messages of tool-call parsing.</summary>
internal static partial class ToolCallLog
{
    [LoggerMessage(EventId = 40, Level = LogLevel.Warning, Message = "The model wrote a malformed {Format} tool call; it is returned as text: {Reason}. Text: {Text}")]
    internal static partial void MalformedCall(ILogger logger, ToolCallFormat format, string reason, string text);
}
