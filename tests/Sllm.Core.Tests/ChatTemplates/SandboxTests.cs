namespace Sllm.ChatTemplates;

public sealed class SandboxTests
{
    [Theory]
    [InlineData("{% for i in range(100000000) %}x{% endfor %}")]
    [InlineData("{% for i in range(1000) %}{% for j in range(1000) %}{% endfor %}{% endfor %}")]
    [InlineData("{% set l = [] %}{% for i in range(50000) %}{% set _ = l.append(i) %}{% set _ = l.append(i) %}{% set _ = l.append(i) %}{% endfor %}")]
    public void Loops_BeyondTheBudget_FailFast(string template)
    {
        ChatTemplateException e = TemplateRunner.Fails(template);
        Assert.Equal(SllmErrorKind.TemplateRender, e.Kind);
        Assert.Contains("limit", e.TemplateMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}")]
    [InlineData("{% macro f(n) %}{{ f(n) }}{{ f(n) }}{% endmacro %}{{ f(1) }}")]
    [InlineData("{% macro f() %}{% call f() %}x{% endcall %}{% endmacro %}{{ f() }}")]
    public void RecursiveMacros_StopAtTheDepthLimit(string template)
    {
        ChatTemplateException e = TemplateRunner.Fails(template);
        Assert.Contains("nest deeper than the limit of 64", e.TemplateMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Output_BeyondTheLimit_Fails()
    {
        var options = new ChatTemplateOptions { MaxOutputLength = 1000 };
        Assert.Contains("1000 characters", TemplateRunner.Fails("{% for i in range(200) %}0123456789{% endfor %}", options: options).TemplateMessage, StringComparison.Ordinal);
        Assert.Contains("1000 characters", TemplateRunner.Fails("{% set s = 'x' %}{% for i in range(60) %}{% set s = s ~ s %}{% endfor %}", options: options).TemplateMessage, StringComparison.Ordinal);
        Assert.Equal(new string('x', 1000), TemplateRunner.Render("{% for i in range(100) %}xxxxxxxxxx{% endfor %}", options: options));
    }

    [Theory]
    [InlineData("{{ ns.x }}")]
    [InlineData("{{ ns.x|tojson(indent=2) }}")]
    [InlineData("{{ ns.x|string|length }}")]
    [InlineData("{{ (ns.x ~ '')|length }}")]
    [InlineData("{{ ns.x == 'a' }}")]
    [InlineData("{{ ns.x|join(',')|length }}")]
    [InlineData("{{ '{}'.format(ns.x)|length }}")]
    [InlineData("{{ raise_exception(ns.x) }}")]
    [InlineData("{{ ns.d|tojson|length }}")]
    public void SharedValues_GrowingExponentially_FailWhileSerializing(string use)
    {
        // Lists and dicts are shared by reference: 16 doublings make a value whose text is ~2^16 times longer than the
        // work that built it. The limit must stop the serializer itself, not check the string after it was built.
        var options = new ChatTemplateOptions { MaxOutputLength = 1000 };
        string template = "{% set ns = namespace(x=[1], d={}) %}{% for i in range(16) %}{% set ns.x = [ns.x, ns.x] %}" +
            "{% set ns.d = {'a': ns.d, 'b': ns.d} %}{% endfor %}" + use;
        ChatTemplateException e = TemplateRunner.Fails(template, options: options);
        Assert.Contains("exceeds the limit of 1000 characters", e.TemplateMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{% set y = ns.s ~ ns.s %}")]
    [InlineData("{% if 'zz' in ns.s %}{% endif %}")]
    [InlineData("{{ ns.s }}{% continue %}")]
    [InlineData("{% set y = ns.s|upper %}")]
    [InlineData("{% set y = ns.s[::-1] %}")]
    [InlineData("{% set y = ns.s.split('x') %}")]
    [InlineData("{% if -1 in ns.r %}{% endif %}")]
    [InlineData("{% set y = ns.r|unique %}")]
    [InlineData("{% set y = ns.r|reverse %}")]
    public void RepeatedWorkOnLargeValues_FailsAtTheWorkBudget(string body)
    {
        // Each iteration stays under the iteration and length limits, but copies or scans a large value: without a
        // budget on the total, 100,000 iterations over a 4 Mi-character string run for minutes.
        var options = new ChatTemplateOptions { MaxOutputLength = 1000, MaxIterations = 1000 };
        string template = "{% set ns = namespace(s='x', r=range(900)) %}{% for i in range(8) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}" +
            "{% for i in range(900) %}" + body + "{% endfor %}";
        ChatTemplateException e = TemplateRunner.Fails(template, options: options);
        Assert.Contains("limit of 64000 characters and items copied or scanned", e.TemplateMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void WorkBudget_LeavesOrdinaryLoopsAlone()
    {
        var options = new ChatTemplateOptions { MaxOutputLength = 1000, MaxIterations = 1000 };
        Assert.Equal("499500", TemplateRunner.Render("{% set ns = namespace(t=0) %}{% for i in range(1000) %}{% set ns.t = ns.t + i %}{% endfor %}{{ ns.t }}", options: options));

        // Constant-time filters on the whole conversation in every iteration cost nothing per item.
        Assert.Equal("999", TemplateRunner.Render("{% set r = range(1000) %}{% for i in r %}{% if loop.index0 == (r|length) - 1 %}{{ i }}{{ r|first }}{% endif %}{% set x = r|default([]) %}{% endfor %}", options: options)[..3]);
        Assert.Equal("1000", TemplateRunner.Render("{% set ns = namespace(n=0, r=range(1000)) %}{% for i in ns.r %}{% if ns.r == ns.r and ns.r is defined and ns.r is iterable %}{% set ns.n = ns.n + 1 %}{% endif %}{% endfor %}{{ ns.n }}", options: options));
        Assert.Equal("1000", TemplateRunner.Render("{% set l = [] %}{% for i in range(1000) %}{% set _ = l.append(i) %}{% endfor %}{{ l|length }}", options: options));
    }

    [Fact]
    public void Batch_WithHugeSizes_FailsAtTheListLimitOrMakesOneBatch()
    {
        // Padding to a template-chosen size allocated it (OutOfMemoryException); a size over 2^31 was cast to int.
        ChatTemplateException e = TemplateRunner.Fails("{{ [1]|batch(1000000000, 'x')|first|length }}");
        Assert.Contains("limit of 100000 items", e.TemplateMessage, StringComparison.Ordinal);
        Assert.Equal("[[1, 2]] [[1, 2, \"x\"]]", TemplateRunner.Render("{{ [1, 2]|batch(4294967297)|list }} {{ [1, 2]|batch(3, 'x')|list }}"));
    }

    [Theory]
    [InlineData(100_000, "(", ")")]
    [InlineData(100_000, "[", "]")]
    [InlineData(100_000, "not ", "")]
    [InlineData(100_000, "- ", "")]
    public void DeepExpressions_FailToParse(int depth, string open, string close)
    {
        string template = "{{ " + string.Concat(Enumerable.Repeat(open, depth)) + "1" + string.Concat(Enumerable.Repeat(close, depth)) + " }}";
        ChatTemplateException e = TemplateRunner.Fails(template);
        Assert.Equal(SllmErrorKind.InvalidTemplate, e.Kind);
        Assert.Contains("limit", e.TemplateMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void DeepBlocksAndLongChains_FailToParse()
    {
        string blocks = string.Concat(Enumerable.Repeat("{% if true %}", 10_000)) + "x" + string.Concat(Enumerable.Repeat("{% endif %}", 10_000));
        Assert.Equal(SllmErrorKind.InvalidTemplate, TemplateRunner.Fails(blocks).Kind);
        string chain = "{{ 1" + string.Concat(Enumerable.Repeat(" + 1", 100_000)) + " }}";
        Assert.Equal(SllmErrorKind.InvalidTemplate, TemplateRunner.Fails(chain).Kind);
    }

    [Theory]
    [InlineData(".a")]
    [InlineData("[0]")]
    [InlineData("[1:]")]
    [InlineData("()")]
    [InlineData(".upper()")]
    [InlineData("|string")]
    [InlineData("|default(1)")]
    [InlineData(" is string")]
    public void LongPostfixChains_FailToParse(string link)
    {
        // Parsed in a loop but evaluated recursively: without a bound, x.a.a.a... overflows the stack and kills the process.
        string chain = "{{ x" + string.Concat(Enumerable.Repeat(link, 100_000)) + " }}";
        ChatTemplateException e = TemplateRunner.Fails(chain);
        Assert.Equal(SllmErrorKind.InvalidTemplate, e.Kind);
        Assert.Contains("limit of 512 chained operators", e.TemplateMessage, StringComparison.Ordinal);
        Assert.Equal("ABC", TemplateRunner.Render("{{ x" + string.Concat(Enumerable.Repeat("|string", 500)) + "|upper }}", """{"x": "abc"}"""));
    }

    [Fact]
    public void ModerateNesting_StillRenders()
    {
        string template = "{{ " + new string('(', 50) + "1" + new string(')', 50) + " + " + string.Join(" + ", Enumerable.Repeat("1", 200)) + " }}";
        Assert.Equal("201", TemplateRunner.Render(template));
    }

    [Fact]
    public void Options_Validate_RejectsNonPositiveLimits()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChatTemplateOptions { MaxIterations = 0 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => ChatTemplate.Parse("x", options: new ChatTemplateOptions { MaxNestingDepth = -1 }));
    }

    [Theory]
    [InlineData("a\n{% if x %}abc", 2, "Unclosed 'if' block opened at line 2")]
    [InlineData("{% for x in xs %}\n{{ x }}", 1, "Unclosed 'for' block")]
    [InlineData("{% macro m() %}x", 1, "Unclosed 'macro' block")]
    [InlineData("text\n\n{{ x ", 3, "Unexpected end of input")]
    [InlineData("{{ 'abc }}", 1, "Unexpected end of input")]
    [InlineData("x\n{% endif %}", 2, "Unknown statement type: endif")]
    [InlineData("{% foo %}", 1, "Unknown statement type: foo")]
    [InlineData("{{ x | }}", 1, "Unexpected token")]
    [InlineData("{{ x @ y }}", 1, "Unexpected character: @")]
    [InlineData("{# never closed", 1, "Missing end of comment tag")]
    [InlineData("{{ 'a\\q' }}", 1, "Unexpected escaped character: q")]
    [InlineData("{% if x %}a{% else %}b", 1, "Unclosed 'if' block")]
    [InlineData("{% set %}", 1, "Unexpected token")]
    [InlineData("{{ f(a=1, 2) }}", 1, "")]
    public void Malformed_FailsWithNameAndLine(string template, int line, string message)
    {
        ChatTemplateException e = Assert.Throws<ChatTemplateException>(() => ChatTemplate.Parse(template, "bad.jinja").RenderJson([], null, null));
        Assert.Equal("bad.jinja", e.TemplateName);
        Assert.Equal(line, e.Line);
        Assert.True(e.Column > 0);
        Assert.StartsWith($"bad.jinja:{line}:", e.Message, StringComparison.Ordinal);
        Assert.Contains(message, e.TemplateMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownFilter_FailsAtRenderWithLine()
    {
        ChatTemplate template = ChatTemplate.Parse("ok\n{{ 'x' | frobnicate }}", "t");
        ChatTemplateException e = Assert.Throws<ChatTemplateException>(() => template.RenderJson([], null, null));
        Assert.Equal(SllmErrorKind.TemplateRender, e.Kind);
        Assert.Equal(2, e.Line);
        Assert.Equal("t:2:8: Unknown StringValue filter: frobnicate", e.Message);
    }
}
