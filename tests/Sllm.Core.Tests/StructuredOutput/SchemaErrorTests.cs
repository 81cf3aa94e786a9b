using Xunit;

namespace Sllm.StructuredOutput;

/// <summary>Unsupported and malformed schemas fail with the keyword and its JSON pointer.</summary>
public sealed class SchemaErrorTests
{
    [Theory]
    [InlineData("""{"type":"string","pattern":"^a"}""", "pattern", "/pattern")]
    [InlineData("""{"type":"object","properties":{"a":{"not":{}}}}""", "not", "/properties/a/not")]
    [InlineData("""{"type":"object","patternProperties":{}}""", "patternProperties", "/patternProperties")]
    [InlineData("""{"if":{},"then":{}}""", "if", "/if")]
    [InlineData("""{"type":"array","items":{"type":"integer","minimum":3}}""", "minimum", "/items/minimum")]
    [InlineData("""{"type":"array","uniqueItems":true}""", "uniqueItems", "/uniqueItems")]
    [InlineData("""{"anyOf":[{"type":"object"},{"type":"object","properties":{"a":{}}}]}""", "anyOf", "/anyOf")]
    [InlineData("""{"$ref":"#/$defs/Missing"}""", "$ref", "/$ref")]
    [InlineData("""{"type":"object","properties":{"a":{}},"required":["b"]}""", "required", "/required")]
    [InlineData("""{"type":"strin"}""", "type", "/type")]
    [InlineData("""{"type":"string","minLength":3,"maxLength":2}""", "maxLength", "/maxLength")]
    public void Unsupported_or_malformed_keywords_name_the_keyword_and_pointer(string schema, string keyword, string location)
    {
        var ex = Assert.Throws<JsonSchemaException>(() => JsonSchemaConstraint.FromSchema(JsonMatcherTests.Parse(schema)));
        Assert.Equal(keyword, ex.Keyword);
        Assert.Equal(location, ex.Location);
        Assert.Equal(SllmErrorKind.InvalidSchema, ex.Kind);
        Assert.Contains(location, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Required_infinite_recursion_is_reported()
    {
        var ex = Assert.Throws<JsonSchemaException>(() => JsonSchemaConstraint.FromSchema(JsonMatcherTests.Parse(
            """{"type":"object","properties":{"a":{"$ref":"#"}},"required":["a"]}""")));
        Assert.Contains("nesting", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_schema_file_error_names_the_file()
    {
        string path = Path.Combine(Path.GetTempPath(), $"sllm-schema-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """{"type":"object","properties":{"x":{"type":"string","format":"email","pattern":"@"}}}""");
        try
        {
            var ex = Assert.Throws<JsonSchemaException>(() => JsonSchemaConstraint.FromFile(path));
            Assert.Equal(path, ex.Path);
            Assert.StartsWith(path + ":", ex.Message, StringComparison.Ordinal);
            Assert.Equal("/properties/x/pattern", ex.Location);
            File.WriteAllText(path, "{ nope");
            Assert.Contains("not valid JSON", Assert.Throws<JsonSchemaException>(() => JsonSchemaConstraint.FromFile(path)).Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
