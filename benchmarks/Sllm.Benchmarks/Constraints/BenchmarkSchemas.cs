using System.Text.Json;
using Sllm.StructuredOutput;

namespace Sllm.Benchmarks.Constraints;

/// <summary>The schema the constrained benchmarks decode under: a long array of small records, so no run completes the value
/// before its token budget and every decode step goes through the mask (strings, integers, enums, booleans, keys).</summary>
internal static class BenchmarkSchemas
{
    public const string Records = """
        {
          "type": "array",
          "minItems": 64,
          "items": {
            "type": "object",
            "properties": {
              "name": { "type": "string", "maxLength": 12 },
              "count": { "type": "integer" },
              "kind": { "enum": ["alpha", "beta", "gamma"] },
              "ok": { "type": "boolean" },
              "note": { "type": ["string", "null"], "maxLength": 20 }
            },
            "required": ["name", "count", "kind", "ok"]
          }
        }
        """;

    public static JsonSchemaConstraint Compile()
    {
        using JsonDocument document = JsonDocument.Parse(Records);
        return JsonSchemaConstraint.FromSchema(document.RootElement);
    }
}
