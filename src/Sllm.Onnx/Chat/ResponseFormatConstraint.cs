using Microsoft.Extensions.AI;
using Sllm.StructuredOutput;
using Sllm.Tokenization;

namespace Sllm.Onnx;

/// <summary>Maps <see cref="ChatOptions.ResponseFormat"/> onto a JSON constraint on the generator's logits.</summary>
/// <remarks>
/// <see cref="ChatResponseFormat.Json"/> (no schema) constrains the answer to a JSON object; a
/// <see cref="ChatResponseFormatJson"/> with a schema (what <c>GetResponseAsync&lt;T&gt;()</c> sends) constrains it to that
/// schema, which must use the keywords <see cref="JsonSchemaConstraint"/> supports. Text format changes nothing. The answer
/// is only valid JSON when generation ends at the end token: a <see cref="ChatOptions.MaxOutputTokens"/> too small for the
/// value cuts it short.
/// </remarks>
internal static class ResponseFormatConstraint
{
    /// <summary>Adds the constraint the request asks for, if any, to <paramref name="generatorOptions"/>.</summary>
    /// <exception cref="JsonSchemaException">The schema uses an unsupported keyword.</exception>
    public static void Apply(GeneratorOptions generatorOptions, ChatOptions? chatOptions, HuggingFaceTokenizer tokenizer, int[] endTokens)
    {
        if (chatOptions?.ResponseFormat is not ChatResponseFormatJson json)
        {
            return;
        }

        JsonSchemaConstraint constraint = json.Schema is { } schema ? JsonSchemaConstraint.FromSchema(schema) : JsonSchemaConstraint.AnyObject();
        generatorOptions.LogitsProcessors.Add(new JsonSchemaLogitsProcessor(tokenizer, constraint, endTokens));
    }
}
