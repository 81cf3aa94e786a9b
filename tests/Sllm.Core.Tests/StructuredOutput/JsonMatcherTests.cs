using System.Text;
using System.Text.Json;
using Xunit;

namespace Sllm.StructuredOutput;

/// <summary>The byte-level automaton: whole documents accepted or rejected, and prefixes accepted char by char.</summary>
public sealed class JsonMatcherTests
{
    private const string Person = """
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "type": "object",
          "description": "A person",
          "properties": {
            "name": { "type": "string", "minLength": 2, "maxLength": 5 },
            "age": { "type": "integer" },
            "score": { "type": ["number", "null"] },
            "tags": { "type": "array", "items": { "enum": ["a", "b", 3] }, "minItems": 1, "maxItems": 2 },
            "pet": { "$ref": "#/$defs/Pet" },
            "ok": { "type": "boolean" }
          },
          "required": ["name", "tags", "ok"],
          "additionalProperties": false,
          "$defs": {
            "Pet": { "type": "object", "properties": { "kind": { "const": "cat" }, "child": { "$ref": "#/$defs/Pet" } }, "required": ["kind"] }
          }
        }
        """;

    [Theory]
    [InlineData("""{"name":"Al","tags":["a"],"ok":true}""")]
    [InlineData("""{"name":"Alice","age":-12,"score":1.5,"tags":["b",3],"pet":{"kind":"cat","child":{"kind":"cat"}},"ok":false}""")]
    [InlineData("""{"name":"\u00e9\n","score":null,"tags":[3],"ok":true}""")]
    [InlineData("""{"name":"日本語","age":0,"tags":["a","a"],"ok":true}""")]
    public void Accepts_documents_that_match(string json)
    {
        Assert.True(Compile(Person).Matches(json));
    }

    [Theory]
    [InlineData("""{"name":"A","tags":["a"],"ok":true}""")] // too short
    [InlineData("""{"name":"Alexander","tags":["a"],"ok":true}""")] // too long
    [InlineData("""{"name":"Al","ok":true}""")] // required tags missing
    [InlineData("""{"name":"Al","tags":[],"ok":true}""")] // minItems
    [InlineData("""{"name":"Al","tags":["a","b","a"],"ok":true}""")] // maxItems
    [InlineData("""{"name":"Al","tags":["c"],"ok":true}""")] // enum
    [InlineData("""{"name":"Al","age":1.5,"tags":["a"],"ok":true}""")] // integer
    [InlineData("""{"tags":["a"],"name":"Al","ok":true}""")] // declaration order
    [InlineData("""{"name":"Al","tags":["a"],"ok":true,"extra":1}""")] // undeclared property
    [InlineData("""{"name":"Al", "tags":["a"],"ok":true}""")] // whitespace
    [InlineData("""{ "name":"Al","tags":["a"],"ok":true}""")] // whitespace
    [InlineData("""{"name":"Al","age":01,"tags":["a"],"ok":true}""")] // leading zero
    [InlineData("""{"name":"Al","pet":{"kind":"dog"},"tags":["a"],"ok":true}""")] // const
    [InlineData("""{"name":"A\ud800","tags":["a"],"ok":true}""")] // surrogate escape
    [InlineData("""{"name":"Al","tags":["a"],"ok":true""")] // unfinished
    public void Rejects_documents_that_do_not_match(string json)
    {
        Assert.False(Compile(Person).Matches(json));
    }

    [Fact]
    public void Prefixes_of_a_match_are_accepted_char_by_char_and_a_wrong_char_is_rejected_where_it_occurs()
    {
        JsonSchemaConstraint constraint = Compile(Person);
        var matcher = new JsonMatcher(constraint, [], []);
        int[] state = new int[matcher.StateLength];
        matcher.Reset(state);
        byte[] text = Encoding.UTF8.GetBytes("""{"name":"Bo","tags":["a"],"ok":true}""");
        for (int i = 0; i < text.Length; i++)
        {
            Assert.False(matcher.IsComplete(state));
            int[] probe = (int[])state.Clone();
            Assert.False(matcher.Step(probe, (byte)0x01), $"control byte after {i} bytes");
            Assert.True(matcher.Step(state, text[i]), $"byte {i} '{(char)text[i]}'");
        }

        Assert.True(matcher.IsComplete(state));
        Assert.False(matcher.Step(state, (byte)'}'));
    }

    [Fact]
    public void Partial_utf8_is_held_until_the_character_completes_and_invalid_bytes_are_rejected()
    {
        JsonSchemaConstraint constraint = Compile("""{"type":"string","maxLength":1}""");
        var matcher = new JsonMatcher(constraint, [], []);
        int[] state = new int[matcher.StateLength];
        matcher.Reset(state);
        Assert.True(matcher.Step(state, [(byte)'"', 0xE6]));
        Assert.False(matcher.Step((int[])state.Clone(), (byte)'"'));
        Assert.False(matcher.Step((int[])state.Clone(), (byte)0xC0));
        Assert.True(matcher.Step(state, [0x97, 0xA5]));
        Assert.False(matcher.Step((int[])state.Clone(), (byte)'a'));
        Assert.True(matcher.Step(state, (byte)'"'));
        Assert.True(matcher.IsComplete(state));
        matcher.Reset(state);
        Assert.True(matcher.Step(state, [(byte)'"', 0xED]));
        Assert.False(matcher.Step(state, (byte)0xA0)); // would encode a surrogate
    }

    [Fact]
    public void Prefix_and_suffix_literals_surround_the_value_and_a_root_number_ends_at_the_suffix()
    {
        JsonSchemaConstraint constraint = Compile("""{"type":"integer"}""");
        var matcher = new JsonMatcher(constraint, Encoding.UTF8.GetBytes("<tool_call>\n"), Encoding.UTF8.GetBytes("\n</tool_call>"));
        int[] state = new int[matcher.StateLength];
        matcher.Reset(state);
        Assert.False(matcher.Step((int[])state.Clone(), (byte)'1'));
        Assert.True(matcher.Step(state, "<tool_call>\n42"u8));
        Assert.False(matcher.IsComplete(state));
        Assert.True(matcher.Step(state, "\n</tool_call>"u8));
        Assert.True(matcher.IsComplete(state));
        Assert.False(matcher.Step(state, (byte)'\n'));
    }

    [Fact]
    public void Numbers_are_bounded_so_generation_ends()
    {
        JsonSchemaConstraint integer = Compile("""{"type":"integer"}""");
        Assert.True(integer.Matches("-123456789"));
        Assert.False(integer.Matches("1234567890"));
        Assert.False(integer.Matches("1.0"));
        JsonSchemaConstraint number = Compile("""{"type":"number"}""");
        Assert.True(number.Matches("-0.123456"));
        Assert.False(number.Matches("0.1234567"));
        Assert.False(number.Matches("1e5"));
        Assert.False(number.Matches("-"));
        Assert.False(number.Matches("1."));
    }

    [Fact]
    public void Any_object_and_any_value_accept_nested_json_and_reject_trailing_commas()
    {
        JsonSchemaConstraint anyObject = JsonSchemaConstraint.AnyObject();
        Assert.True(anyObject.Matches("""{"a":[1,{"b":null},"x",true],"c":{}}"""));
        Assert.False(anyObject.Matches("[1]"));
        Assert.False(anyObject.Matches("""{"a":1,}"""));
        Assert.True(JsonSchemaConstraint.AnyValue().Matches("[1,[],\"s\"]"));
        Assert.False(JsonSchemaConstraint.AnyValue().Matches("[1,]"));
    }

    [Fact]
    public void Recursion_stops_at_the_depth_bound_but_every_accepted_prefix_can_still_finish()
    {
        JsonSchemaConstraint constraint = JsonSchemaConstraint.FromSchema(Parse("""
            {"type":"object","properties":{"next":{"$ref":"#"}}}
            """), maxDepth: 3);
        Assert.True(constraint.Matches("""{"next":{"next":{}}}"""));
        Assert.False(constraint.Matches("""{"next":{"next":{"next":{}}}}"""));
        var matcher = new JsonMatcher(constraint, [], []);
        int[] state = new int[matcher.StateLength];
        matcher.Reset(state);
        Assert.True(matcher.Step(state, """{"next":{"next":{"""u8));
        Assert.False(matcher.Step((int[])state.Clone(), (byte)'"'));
        Assert.True(matcher.Step(state, "}}}"u8));
        Assert.True(matcher.IsComplete(state));
    }

    [Fact]
    public void Nullable_recursive_reference_through_anyOf_compiles()
    {
        JsonSchemaConstraint constraint = Compile("""
            {"$ref":"#/$defs/Node","$defs":{"Node":{"type":"object","properties":{"v":{"type":"integer"},"next":{"anyOf":[{"$ref":"#/$defs/Node"},{"type":"null"}]}},"required":["v","next"]}}}
            """);
        Assert.True(constraint.Matches("""{"v":1,"next":{"v":2,"next":null}}"""));
        Assert.False(constraint.Matches("""{"v":1}"""));
    }

    [Fact]
    public void Object_alternatives_tagged_by_a_const_first_property_form_a_tagged_union()
    {
        JsonSchemaConstraint constraint = Compile("""
            {"anyOf":[
              {"type":"object","properties":{"name":{"const":"get_weather"},"arguments":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}},"required":["name","arguments"]},
              {"type":"object","properties":{"name":{"const":"get_time"},"arguments":{"type":"object","properties":{"zone":{"enum":["utc","local"]}},"required":["zone"]}},"required":["name","arguments"]},
              {"type":"null"}
            ]}
            """);
        Assert.True(constraint.Matches("""{"name":"get_weather","arguments":{"city":"Oslo"}}"""));
        Assert.True(constraint.Matches("""{"name":"get_time","arguments":{"zone":"utc"}}"""));
        Assert.True(constraint.Matches("null"));
        Assert.False(constraint.Matches("""{"name":"get_time","arguments":{"city":"Oslo"}}"""));
        Assert.False(constraint.Matches("""{"name":"get_other","arguments":{}}"""));
        Assert.False(constraint.Matches("""{"arguments":{"zone":"utc"},"name":"get_time"}"""));
    }

    [Fact]
    public void Free_object_values_follow_additionalProperties()
    {
        JsonSchemaConstraint constraint = Compile("""{"type":"object","additionalProperties":{"type":"integer"}}""");
        Assert.True(constraint.Matches("""{"a":1,"b":2}"""));
        Assert.False(constraint.Matches("""{"a":"x"}"""));
    }

    internal static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();

    private static JsonSchemaConstraint Compile(string schema) => JsonSchemaConstraint.FromSchema(Parse(schema));
}
