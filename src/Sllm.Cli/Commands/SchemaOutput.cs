using Sllm.Onnx;
using Sllm.StructuredOutput;

namespace Sllm.Cli.Commands;

/// <summary>The <c>--json-schema</c> part of <c>sllm generate</c>: a schema constraint on the generator's logits.</summary>
internal static class SchemaOutput
{
    /// <summary>Adds the constraint to <paramref name="options"/>; ends at the model's end-of-sequence ids (or its tokenizer's).</summary>
    /// <exception cref="ArgumentException">The model has no tokenizer or no end-of-sequence id.</exception>
    public static void Apply(OnnxModel model, JsonSchemaConstraint? schema, GeneratorOptions options)
    {
        if (schema is null)
        {
            return;
        }

        var ends = new List<int>(model.EosTokenIds);
        if (model.Tokenizer?.EosTokenId is int eos && !ends.Contains(eos))
        {
            ends.Add(eos);
        }

        if (model.Tokenizer is null || ends.Count == 0)
        {
            throw new ArgumentException($"--json-schema needs a tokenizer and an end-of-sequence token; {model.Directory} lacks one.");
        }

        foreach (int id in ends)
        {
            options.EosTokenIds.Add(id);
        }

        options.LogitsProcessors.Add(new JsonSchemaLogitsProcessor(model.Tokenizer, schema, ends));
    }
}
