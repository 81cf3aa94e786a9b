namespace Sllm.ChatTemplates;

public sealed class FilterTests
{
    private const string Vars = """{"xs": [3, 1, 2], "ws": ["b", "A", "c"], "users": [{"name": "a", "role": "user", "n": 2}, {"name": "b", "role": "system", "n": 1}, {"name": "c", "role": "user", "n": 3}], "d": {"b": 1, "a": 2}, "s": "  Hi there  ", "u": "naïve ☃"}""";

    [Theory]
    [InlineData("{{ d | tojson }}", "{\"b\": 1, \"a\": 2}")]
    [InlineData("{{ u | tojson }}", "\"naïve ☃\"")]
    [InlineData("{{ [1, {'k': none}] | tojson(indent=2) }}", "[\n  1,\n  {\n    \"k\": null\n  }\n]")]
    [InlineData("{{ 'q\"\\n' | tojson }}", "\"q\\\"\\n\"")]
    [InlineData("{{ {'b': 1, 'B': 2, 'a': 3, '_': 4, '\u00e9': 5} | tojson(sort_keys=true) }}", "{\"B\": 2, \"_\": 4, \"a\": 3, \"b\": 1, \"\u00e9\": 5}")]
    [InlineData("{{ s | trim }}|{{ s | length }}|{{ xs | length }}|{{ d | length }}|{{ xs | count }}", "Hi there|12|3|2|3")]
    [InlineData("{{ xs | first }} {{ xs | last }} {{ xs | join(',') }} {{ xs | join }} {{ xs | reverse | list }}", "3 2 3,1,2 312 [2, 1, 3]")]
    [InlineData("{{ xs | sort }} {{ xs | sort(reverse=true) }} {{ ws | sort }} {{ ws | sort(case_sensitive=true) }}", "[1, 2, 3] [3, 2, 1] [\"A\", \"b\", \"c\"] [\"A\", \"b\", \"c\"]")]
    [InlineData("{{ users | sort(attribute='n') | map(attribute='name') | join }}", "bac")]
    [InlineData("{{ users | selectattr('role', 'equalto', 'user') | map(attribute='name') | list }}", "[\"a\", \"c\"]")]
    [InlineData("{{ users | rejectattr('role', 'equalto', 'user') | map(attribute='name') | join }}", "b")]
    [InlineData("{{ users | selectattr('missing', 'defined') | list | length }} {{ users | selectattr('name') | list | length }}", "0 3")]
    [InlineData("{{ [1, 2, 3, 4] | select('odd') | list }} {{ [1, 2, 3, 4] | reject('equalto', 2) | list }}", "[1, 3] [1, 3, 4]")]
    [InlineData("{{ ['a', 'b'] | map('upper') | join }}", "AB")]
    [InlineData("{{ undefined_var | default('dflt') }} {{ '' | default('e', true) }} {{ '' | default('e') }}|{{ none | default('n') }}", "dflt e |")]
    [InlineData("{{ 'x' | upper }} {{ 'X' | lower }} {{ 'ab cd' | title }} {{ 'ab' | capitalize }} {{ 'aXa' | replace('a', 'b') }}", "X x Ab Cd Ab bXb")]
    [InlineData("{{ '42' | int + 1 }} {{ '3.5' | float }} {{ 'x' | int }} {{ 3.7 | int }} {{ -3 | abs }} {{ 5 | string }} {{ true | string }}", "43 3.5 0 3 3 5 true")]
    [InlineData("{{ [1, 1, 2, 1] | unique | list }} {{ d | items }} {{ d | dictsort }}", "[1, 2] [[\"b\", 1], [\"a\", 2]] [[\"a\", 2], [\"b\", 1]]")]
    [InlineData("{{ 'a\nb\n\nc' | indent }}|{{ 'a\nb' | indent(2, first=true) }}", "a\n    b\n\n    c|  a\n  b")]
    [InlineData("{{ xs | sum }} {{ xs | min }} {{ xs | max }} {{ 'one two  three' | wordcount }} {{ '<a>' | e }} {{ 'x' | safe }}", "6 1 3 3 &lt;a&gt; x")]
    [InlineData("{{ [1, 2, 3] | batch(2) | list }} {{ xs | string }}", "[[1, 2], [3]] [3, 1, 2]")]
    public void Filters(string template, string expected) => Assert.Equal(expected, TemplateRunner.Render(template, Vars));

    [Theory]
    [InlineData("{{ d | string }}", "Unknown ObjectValue filter: string")]
    [InlineData("{{ none | trim }}", "Cannot apply filter \"trim\" to type: NullValue")]
    [InlineData("{{ xs | nosuchfilter }}", "Unknown ArrayValue filter: nosuchfilter")]
    [InlineData("{{ 'x' | nosuchfilter(1) }}", "Unknown StringValue filter: nosuchfilter")]
    public void Filters_UnsupportedLikeTheReference_Fail(string template, string message)
    {
        ChatTemplateException e = TemplateRunner.Fails(template, Vars);
        Assert.Equal(message, e.TemplateMessage);
        Assert.Equal(1, e.Line);
    }

    [Theory]
    [InlineData("{{ 3 is odd }} {{ 4 is even }} {{ 6 is divisibleby(3) }} {{ 6 is divisibleby 4 }}", "true true true false")]
    [InlineData("{{ 'a' is string }} {{ 1 is number }} {{ 1 is integer }} {{ 1.5 is float }} {{ true is boolean }} {{ true is true }} {{ false is false }}", "true true true true true true true")]
    [InlineData("{{ d is mapping }} {{ xs is iterable }} {{ 'x' is iterable }} {{ d is iterable }} {{ xs is sequence }}", "true true true false true")]
    [InlineData("{{ none is none }} {{ x is defined }} {{ x is undefined }} {{ range is callable }} {{ 'ab' is lower }} {{ 'AB' is upper }}", "true false true true true true")]
    [InlineData("{{ 2 is eq 2 }} {{ 2 is equalto(3) }} {{ 2 is ne(3) }} {{ 1 is lt(2) }} {{ 3 is ge(3) }} {{ 2 is in([1, 2]) }} {{ 2 is not in([3]) }}", "true false true true true true true")]
    public void Tests(string template, string expected) => Assert.Equal(expected, TemplateRunner.Render(template, Vars));

    [Fact]
    public void Tests_Unknown_Fails() => Assert.Equal("Unknown test: nosuchtest", TemplateRunner.Fails("{{ 1 is nosuchtest }}").TemplateMessage);
}
