using System.Text;
using System.Text.Json.Nodes;

namespace Sllm.ChatTemplates;

/// <summary>Renders many random combinations of hostile template fragments: whatever they do, the only exception that may
/// come out is <see cref="ChatTemplateException"/>, and the engine's own limits (small here) bound the time.</summary>
public sealed class SandboxFuzzTests
{
    private static readonly string[] Values =
    [
        "ns.s", "ns.l", "ns.d", "ns.n", "ns.f", "x", "none", "messages", "messages[0]", "range(50)", "'ab'", "'\\ud83d\\ude00x'",
        "[ns.l, ns.l]", "{'a': ns.d, 'b': ns.l}", "9223372036854775807", "-9223372036854775807 - 1", "1e300", "0", "-1",
        "99999999999999999999", "2**63", "10**400", "(0/0)", "true", "''", "[]", "{}", "loop", "caller", "range", "dict()",
    ];

    private static readonly string[] Binary = ["+", "-", "*", "/", "//", "%", "**", "~", "==", "!=", "<", ">=", "in", "not in", "and", "or"];

    private static readonly string[] Filters =
    [
        "length", "string", "tojson", "tojson(indent=9999999999)", "join(ns.s)", "upper", "trim", "list", "unique", "sort", "reverse",
        "first", "last", "items", "int", "float", "abs", "round(99999)", "round(-99999)", "indent(2000000000, true)",
        "replace('', ns.s)", "replace('a', ns.s, -1)", "batch(3)", "batch(0)", "batch(99999999999, ns.s)", "batch(4294967296)", "map('upper')", "map(attribute='a')", "select",
        "reject('none')", "selectattr('a')", "sum", "min", "max", "dictsort", "default(ns.s)", "wordcount", "escape", "center(99999999)",
        "title", "capitalize", "lower", "count", "attr('a')", "tojson(sort_keys=true)", "safe", "e", "d",
    ];

    private static readonly string[] Methods =
    [
        "append(ns.l)", "append(ns.s)", "extend(ns.l)", "pop()", "pop(-99999999999)", "insert(99999999999, 1)", "index(1)", "count(ns.s)",
        "split()", "split('', 1)", "split('a', -5)", "rsplit(ns.s)", "format(ns.l, ns.d)", "replace('', ns.s)", "strip('ab')",
        "startswith(ns.s)", "find(ns.s, -99999999999)", "join(ns.l)", "splitlines()", "items()", "keys()", "update(ns.d)",
        "setdefault('a', ns.d)", "get('a')", "copy()", "title()", "upper()", "removeprefix(ns.s)", "center(999999999)",
    ];

    private static readonly string[] Statements =
    [
        "{% set ns.s = ns.s ~ ns.s %}", "{% set ns.l = ns.l + ns.l %}", "{% set ns.l = [ns.l, ns.l] %}", "{% set ns.d = {'a': ns.d, 'b': ns.d} %}",
        "{% set ns.n = ns.n * ns.n + 1 %}", "{% set ns.f = ns.f / 3 %}", "{% set _ = ns.l.append(ns.l) %}", "{% set ns.d.self = ns.d %}",
        "{{ m(ns.n) }}", "{% call m(1) %}{{ caller() }}{% endcall %}", "{% break %}", "{% continue %}",
        "{{ raise_exception('boom') }}", "{{ strftime_now('%Y %-d %Q %') }}", "{% set a, b = ns.l %}", "{% set x = x ~ x %}",
    ];

    [Fact]
    public void RandomHostileTemplates_OnlyEverFailWithChatTemplateException()
    {
        var random = new Random(20_261_123);
        var options = new ChatTemplateOptions { MaxIterations = 2_000, MaxOutputLength = 20_000, MaxRecursionDepth = 16, MaxNestingDepth = 32 };
        var messages = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "hi" });
        int rendered = 0;
        for (int i = 0; i < 10_000; i++)
        {
            string source = Template(random);
            try
            {
                ChatTemplate.Parse(source, "fuzz", options).RenderJson(messages);
                rendered++;
            }
            catch (ChatTemplateException)
            {
            }
            catch (Exception e)
            {
                Assert.Fail($"{e.GetType().Name}: {e.Message}\nfor template #{i}:\n{source}");
            }
        }

        // Sanity: the generator is not so hostile that nothing renders.
        Assert.InRange(rendered, 500, 10_000);
    }

    private static string Template(Random random)
    {
        var sb = new StringBuilder("{% set ns = namespace(s='ab', l=[1, 'a'], d={'a': 1}, n=2, f=1.5) %}")
            .Append("{% macro m(n) %}{{ n }}{% if n < 30 %}{{ m(n + 1) }}{% endif %}{{ caller() if caller is defined }}{% endmacro %}");
        int count = random.Next(1, 5);
        for (int i = 0; i < count; i++)
        {
            sb.Append(random.Next(4) switch
            {
                0 => $"{{% for i in range({random.Next(0, 3000)}) %}}{Statement(random)}{Statement(random)}{{% endfor %}}",
                1 => $"{{% if {Expression(random, 2)} %}}{Statement(random)}{{% else %}}{Statement(random)}{{% endif %}}",
                2 => $"{{% set x = {Expression(random, 3)} %}}",
                _ => Statement(random),
            });
        }

        return sb.ToString();
    }

    private static string Statement(Random random) =>
        random.Next(3) == 0 ? $"{{{{ {Expression(random, 3)} }}}}" : Statements[random.Next(Statements.Length)];

    private static string Expression(Random random, int depth)
    {
        if (depth == 0)
        {
            return Values[random.Next(Values.Length)];
        }

        string inner = Expression(random, depth - 1);
        return random.Next(6) switch
        {
            0 => $"({inner} {Binary[random.Next(Binary.Length)]} {Expression(random, depth - 1)})",
            1 => $"{inner}|{Filters[random.Next(Filters.Length)]}",
            2 => $"{inner}.{Methods[random.Next(Methods.Length)]}",
            3 => $"{inner}[{Expression(random, 0)}:{Expression(random, 0)}:{Expression(random, 0)}]",
            4 => $"{inner}[{Expression(random, 0)}]",
            _ => inner,
        };
    }
}
