namespace Sllm.ChatTemplates;

public sealed class ExpressionTests
{
    [Theory]
    [InlineData("{{ 1 + 2 * 3 }}", "7")]
    [InlineData("{{ (1 + 2) * 3 }}", "9")]
    [InlineData("{{ 7 // 2 }} {{ -7 // 2 }} {{ 7 % 3 }} {{ 7 / 2 }} {{ 4 / 2 }}", "3 -4 1 3.5 2.0")]
    [InlineData("{{ 2 ** 10 }} {{ 1.5 + 1 }} {{ 0.1 + 0.2 }} {{ 3 - 5 }}", "1024 2.5 0.30000000000000004 -2")]
    [InlineData("{{ 'a' ~ 1 ~ true ~ 2.0 }}", "a1true2")]
    [InlineData("{{ 'a' + 'b' }} {{ 'n' + 1 }} {{ [1] + [2] }}", "ab n1 [1, 2]")]
    [InlineData("{{ 1 < 2 }} {{ 2 <= 1 }} {{ 1 == 1.0 }} {{ 'a' != 'b' }} {{ 1 == '1' }}", "true false true true true")]
    [InlineData("{{ true and 'x' }} {{ false or 'y' }} {{ not true }} {{ not [] }} {{ 0 or 'z' }}", "x y false false z")]
    [InlineData("{{ 'a' in 'cat' }} {{ 2 in [1, 2] }} {{ 'k' in {'k': 1} }} {{ 'z' not in 'cat' }} {{ 'x' in undefined_var }}", "true true true true false")]
    [InlineData("{{ 'yes' if 1 > 0 else 'no' }} {{ 'a' if false else 'b' if true else 'c' }}", "yes b")]
    [InlineData("{{ x is defined }} {{ none is none }} {{ y is undefined }}", "true true true")]
    [InlineData("{{ True }} {{ False }} {{ None }}|{{ none }}|", "true false ||")]
    [InlineData("{{ 'it\\'s' }} {{ \"tab\\tq\\\"\" }} {{ 'a' 'b' }}", "it's tab\tq\" ab")]
    [InlineData("{{ [1, 'a', none] }} {{ {'k': 'v', 'n': [1, 2]} }} {{ (1, 2) }}", "[1, \"a\", null] {\"k\": \"v\", \"n\": [1, 2]} [1, 2]")]
    [InlineData("{{ -x }} {{ +x }} {{ - 3 }}", "-5 5 -3")]
    public void Operators_AndLiterals(string template, string expected) => Assert.Equal(expected, TemplateRunner.Render(template, """{"x": 5}"""));

    [Theory]
    [InlineData("{{ xs[0] }} {{ xs[-1] }} {{ xs[1:] }} {{ xs[:2] }} {{ xs[::-1] }} {{ xs[::2] }}", "1 4 [2, 3, 4] [1, 2] [4, 3, 2, 1] [1, 3]")]
    [InlineData("{{ s[1:3] }} {{ s[::-1] }} {{ s[0] }} {{ s.length }}", "el olleh h 5")]
    [InlineData("{{ d.a }} {{ d['a'] }} {{ d.missing }}|{{ d.b.c }} {{ xs.length }}", "1 1 |2 4")]
    [InlineData("{{ xs[10] }}|{{ none.attr }}|{{ undefined_var.attr }}|", "|||")]
    public void MemberAccess_AndSlicing(string template, string expected) =>
        Assert.Equal(expected, TemplateRunner.Render(template, """{"xs": [1, 2, 3, 4], "s": "hello", "d": {"a": 1, "b": {"c": 2}}}"""));

    [Theory]
    [InlineData("{{ '  x  '.strip() }}|{{ 'xxaxx'.strip('x') }}|{{ '\\n\\na'.lstrip('\\n') }}|{{ 'a  '.rstrip() }}|", "x|a|a|a|")]
    [InlineData("{{ 'a,b,,c'.split(',') }} {{ '  a  b '.split() }} {{ 'a,b,c'.split(',', 1) }}", "[\"a\", \"b\", \"\", \"c\"] [\"a\", \"b\"] [\"a\", \"b,c\"]")]
    [InlineData("{{ 'abc'.startswith('a') }} {{ 'abc'.endswith(('x', 'c')) }} {{ 'aaa'.replace('a', 'b', 2) }}", "true true bba")]
    [InlineData("{{ 'hello world'.title() }} {{ 'hello'.capitalize() }} {{ 'Ab'.upper() }} {{ 'Ab'.lower() }}", "Hello World Hello AB ab")]
    [InlineData("{{ 'abcb'.find('b') }} {{ 'abcb'.count('b') }} {{ '-'.join(['a', 'b']) }} {{ '{} and {x}'.format(1, x=2) }}", "1 2 a-b 1 and 2")]
    [InlineData("{{ d.get('a') }} {{ d.get('z', 'dflt') }} {{ d.keys() }} {{ d.values() }} {{ d.items() }}", "1 dflt [\"a\", \"b\"] [1, 2] [[\"a\", 1], [\"b\", 2]]")]
    [InlineData("{% set l = [1] %}{% set _ = l.append(2) %}{{ l }} {{ l.pop() }} {{ l }}", "[1, 2] 2 [1]")]
    public void Methods(string template, string expected) => Assert.Equal(expected, TemplateRunner.Render(template, """{"d": {"a": 1, "b": 2}}"""));

    [Theory]
    [InlineData("{{ strftime_now('%d %b %Y') }}", "26 Jul 2024")]
    [InlineData("{{ strftime_now('%d %B %Y') }}", "26 July 2024")]
    [InlineData("{{ strftime_now('%Y-%m-%d %H:%M:%S') }}", "2024-07-26 00:00:00")]
    [InlineData("{{ strftime_now('%a %A %y %j %p %I %e %%') }}", "Fri Friday 24 208 AM 12 26 %")]
    public void Strftime_UsesTheInjectedClock(string template, string expected) => Assert.Equal(expected, TemplateRunner.Render(template));

    [Fact]
    public void RaiseException_PreservesMessage()
    {
        ChatTemplateException e = TemplateRunner.Fails("line1\n{{ raise_exception('Bad role: ' ~ 'x') }}");
        Assert.Equal("Bad role: x", e.TemplateMessage);
        Assert.Equal(SllmErrorKind.TemplateRender, e.Kind);
        Assert.Equal(2, e.Line);
        Assert.StartsWith("test:2:", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{{ none ~ 'x' }}")]
    [InlineData("{{ x + 1 }}")]
    [InlineData("{{ 'a' < 'b' }}")]
    [InlineData("{{ 5() }}")]
    public void Operators_OnUnsupportedValues_Fail(string template) => TemplateRunner.Fails(template);
}
