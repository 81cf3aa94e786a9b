using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Sllm.Generation;
using Sllm.StructuredOutput;
using Sllm.Tokenization;

namespace Sllm.Onnx;

/// <summary>Enforces <see cref="ChatToolMode.RequireAny"/> and <see cref="ChatToolMode.RequireSpecific"/> by constrained
/// decoding: the answer must be the format's call prefix, a call payload whose name is an allowed function and whose
/// arguments match that function's parameter schema, the call suffix, and then an end-of-turn token.</summary>
/// <remarks>A parameter schema with keywords the JSON constraint does not support (such as <c>pattern</c> or
/// <c>minimum</c>) still forces a call to an allowed function, with its arguments constrained to any JSON object, and logs a
/// warning. Stateless; each call creates a processor for one request.</remarks>
internal static class RequiredToolCallConstraint
{
    private static readonly JsonElement AnyObjectSchema = JsonElement.Parse("""{"type":"object"}""");

    /// <summary>Creates the processor for a request, or returns <see langword="null"/> when its tool mode does not require a call.</summary>
    /// <exception cref="ArgumentException">The request requires a call but offers no matching <see cref="AIFunctionDeclaration"/>.</exception>
    public static ILogitsProcessor? Create(ToolCallSyntax syntax, ChatOptions options, HuggingFaceTokenizer tokenizer, int[] endTokens, ILogger logger)
    {
        if (options.ToolMode is not RequiredChatToolMode required)
        {
            return null;
        }

        var functions = new List<AIFunctionDeclaration>();
        foreach (AITool tool in options.Tools ?? [])
        {
            if (tool is AIFunctionDeclaration function && (required.RequiredFunctionName is null || function.Name == required.RequiredFunctionName))
            {
                functions.Add(function);
            }
        }

        if (functions.Count == 0)
        {
            throw new ArgumentException(
                required.RequiredFunctionName is { } name
                    ? $"ChatOptions.ToolMode requires the function '{name}', which is not among ChatOptions.Tools."
                    : "ChatOptions.ToolMode requires a tool call, but ChatOptions.Tools holds no function declaration.",
                nameof(options));
        }

        var literals = new JsonSchemaLogitsProcessorOptions { Prefix = syntax.CallPrefix, Suffix = syntax.CallSuffix };
        JsonSchemaConstraint constraint;
        try
        {
            constraint = JsonSchemaConstraint.FromSchema(ToElement(syntax.BuildPayloadSchema(functions)));
        }
        catch (JsonSchemaException ex)
        {
            ToolCallLog.ArgumentsUnconstrained(logger, ex.Message);
            var relaxed = new List<AIFunctionDeclaration>(functions.Count);
            foreach (AIFunctionDeclaration function in functions)
            {
                relaxed.Add(AIFunctionFactory.CreateDeclaration(function.Name, function.Description, AnyObjectSchema));
            }

            constraint = JsonSchemaConstraint.FromSchema(ToElement(syntax.BuildPayloadSchema(relaxed)));
        }

        return new JsonSchemaLogitsProcessor(tokenizer, constraint, endTokens, literals);
    }

    private static JsonElement ToElement(JsonObject schema) => JsonElement.Parse(schema.ToJsonString());
}
