namespace Sllm.ChatTemplates;

public sealed class StatementTests
{
    [Theory]
    [InlineData("{% if x %}a{% elif y %}b{% else %}c{% endif %}", """{"x": 0, "y": 1}""", "b")]
    [InlineData("{% if x %}a{% elif y %}b{% else %}c{% endif %}", """{"x": [], "y": ""}""", "c")]
    [InlineData("{% if x %}a{% endif %}", """{"x": {"k": 1}}""", "a")]
    [InlineData("{% if not x %}empty{% endif %}", """{"x": ""}""", "empty")]
    [InlineData("{% if undefined_thing is not defined %}u{% endif %}", null, "u")]
    public void If_Branches(string template, string? vars, string expected) => Assert.Equal(expected, TemplateRunner.Render(template, vars));

    [Theory]
    [InlineData("{% for x in xs %}{{ loop.index }}{{ loop.index0 }}{{ loop.revindex }}{{ loop.revindex0 }}{{ loop.first }}{{ loop.last }}{{ loop.length }};{% endfor %}",
        "1021truefalse2;2110falsetrue2;")]
    [InlineData("{% for x in xs %}{{ loop.previtem }}-{{ x }}-{{ loop.nextitem }},{% endfor %}", "-1-2,1-2-,")]
    [InlineData("{% for x in [] %}a{% else %}none{% endfor %}", "none")]
    [InlineData("{% for x in [1, 2, 3, 4] if x is even %}{{ x }}{% endfor %}", "24")]
    [InlineData("{% for k, v in {'a': 1, 'b': 2}.items() %}{{ k }}={{ v }};{% endfor %}", "a=1;b=2;")]
    [InlineData("{% for k in {'a': 1, 'b': 2} %}{{ k }}{% endfor %}", "ab")]
    [InlineData("{% for x in [1, 2, 3] %}{% if x == 2 %}{% break %}{% endif %}{{ x }}{% endfor %}", "1")]
    [InlineData("{% for x in [1, 2, 3] %}{% if x == 2 %}{% continue %}{% endif %}{{ x }}{% endfor %}", "13")]
    [InlineData("{% for i in range(3) %}{{ i }}{% endfor %}|{% for i in range(1, 7, 2) %}{{ i }}{% endfor %}|{% for i in range(3, 0, -1) %}{{ i }}{% endfor %}", "012|135|321")]
    public void For_LoopVariablesAndForms(string template, string expected) => Assert.Equal(expected, TemplateRunner.Render(template, """{"xs": [1, 2]}"""));

    [Fact]
    public void For_TupleUnpackingOfTuples_FailsLikeTheReference() =>
        Assert.Contains("Cannot unpack non-iterable type: TupleValue", TemplateRunner.Fails("{% for a, b in [('x', 'y')] %}{{ a }}{% endfor %}").Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("{% set x = 1 %}{% set y = x + 1 %}{{ y }}", "2")]
    [InlineData("{% set a, b = [1, 2] %}{{ a }}{{ b }}", "12")]
    [InlineData("{% set x %}block {{ 1 + 1 }}{% endset %}[{{ x }}]", "[block 2]")]
    [InlineData("{% set ns = namespace(found=false) %}{% for x in [1, 2] %}{% if x == 2 %}{% set ns.found = true %}{% endif %}{% endfor %}{{ ns.found }}", "true")]
    [InlineData("{% set x = 1 %}{% for i in [1] %}{% set x = 2 %}{% endfor %}{{ x }}", "1")]
    [InlineData("{% if true %}{% set x = 5 %}{% endif %}{{ x }}", "5")]
    public void Set_Forms(string template, string expected) => Assert.Equal(expected, TemplateRunner.Render(template));

    [Theory]
    [InlineData("{% macro greet(name, punct='!') %}Hi {{ name }}{{ punct }}{% endmacro %}{{ greet('A') }} {{ greet('B', '?') }} {{ greet('C', punct='.') }}", "Hi A! Hi B? Hi C.")]
    [InlineData("{% macro wrap(tag) %}<{{ tag }}>{{ caller() }}</{{ tag }}>{% endmacro %}{% call wrap('b') %}bold{% endcall %}", "<b>bold</b>")]
    [InlineData("{% macro each(xs) %}{% for x in xs %}{{ caller(x) }}{% endfor %}{% endmacro %}{% call(item) each([1, 2]) %}[{{ item }}]{% endcall %}", "[1][2]")]
    [InlineData("{% filter upper %}shout {{ 'this' }}{% endfilter %}", "SHOUT THIS")]
    [InlineData("{% filter indent(2, true) %}a\nb{% endfilter %}", "  a\n  b")]
    public void MacroCallAndFilterBlocks(string template, string expected) => Assert.Equal(expected, TemplateRunner.Render(template));

    [Theory]
    [InlineData("a {# comment #} b", "a  b")]
    [InlineData("a {#- comment -#} b", "ab")]
    [InlineData("{% raw %}{{ not_a_var }} {% if %}{% endraw %}", "{{ not_a_var }} {% if %}")]
    [InlineData("x{% generation %}body{% endgeneration %}y", "xbodyy")]
    [InlineData("x  {%- generation -%}  body  {%- endgeneration -%}  y", "xbodyy")]
    public void CommentsRawAndGeneration(string template, string expected) => Assert.Equal(expected, TemplateRunner.Render(template));

    [Theory]
    [InlineData("a  {{- 'b' -}}  c", "abc")]
    [InlineData("a  {%- if true -%}  b  {%- endif -%}  c", "abc")]
    [InlineData("{% if true %}\nline\n{% endif %}\n", "line\n")]
    [InlineData("    {% if true %}\n    x\n    {% endif %}\nend", "    x\nend")]
    [InlineData("  {{ 'expr' }}\n", "  expr")]
    [InlineData("a\n", "a")]
    [InlineData("a\n\n", "a\n")]
    [InlineData("{% for x in [1,2] %}\n{{ x }}\n{% endfor %}", "1\n2\n")]
    public void WhitespaceControl_TrimAndLstripBlocks(string template, string expected) => Assert.Equal(expected, TemplateRunner.Render(template));

    [Fact]
    public void For_OverADict_IteratesAKeySnapshot()
    {
        // The keys are copied when the loop starts and wrapped only when read (a loop that breaks early over a large dict
        // must not allocate a value per key); keys added by the body are not visited.
        string template = "{% set d = {'a': 1, 'b': 2, 'c': 3} %}{% for k in d %}{{ loop.previtem }}{{ k }}{{ loop.nextitem }}{% set _ = d.update({'z': 0}) %}|{% endfor %}{{ d|length }}";
        Assert.Equal("ab|abc|bc|4", TemplateRunner.Render(template));
        Assert.Equal("a", TemplateRunner.Render("{% for k in {'a': 1, 'b': 2} %}{% if loop.first %}{{ k }}{% else %}{% break %}{% endif %}{% endfor %}"));
    }
}
