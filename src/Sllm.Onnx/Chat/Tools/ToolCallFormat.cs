namespace Sllm.Onnx;

/// <summary>How a model writes tool calls in its output, which decides how <see cref="OnnxChatClient"/> parses them into
/// <see cref="Microsoft.Extensions.AI.FunctionCallContent"/>.</summary>
/// <remarks>See docs/tool-calling.md for the exact shapes each format accepts.</remarks>
public enum ToolCallFormat
{
    /// <summary>A generic fallback: a message that is a JSON object with <c>name</c> and <c>arguments</c> (or
    /// <c>parameters</c>), or an array of such objects, optionally inside a <c>```json</c> fence.</summary>
    Json,

    /// <summary>Hermes / Qwen: <c>&lt;tool_call&gt;{"name": ..., "arguments": {...}}&lt;/tool_call&gt;</c>, one or several.</summary>
    Hermes,

    /// <summary>Llama 3.1 / 3.2: the message is <c>{"name": ..., "parameters": {...}}</c>, optionally after
    /// <c>&lt;|python_tag|&gt;</c>; several calls may be separated by <c>;</c>.</summary>
    Llama3,

    /// <summary>Mistral: <c>[TOOL_CALLS][{"name": ..., "arguments": {...}}, ...]</c>, or the newer
    /// <c>[TOOL_CALLS]name[ARGS]{...}</c>.</summary>
    Mistral,

    /// <summary>Phi-4-mini (and Granite): <c>&lt;|tool_call|&gt;[{"name": ..., "arguments": {...}}, ...]&lt;|/tool_call|&gt;</c>;
    /// the closing tag may be missing at the end of the message.</summary>
    Phi4Mini,
}
