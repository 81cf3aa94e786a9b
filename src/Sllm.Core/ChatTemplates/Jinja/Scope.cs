namespace Sllm.ChatTemplates.Jinja;

/// <summary>A variable scope; lookups walk the parent chain like the reference's <c>Environment</c>.</summary>
internal sealed class Scope
{
    private Dictionary<string, JinjaValue>? variables;

    public Scope(Scope? parent)
    {
        Parent = parent;
    }

    public Scope? Parent { get; }

    public JinjaValue Lookup(string name)
    {
        for (Scope? s = this; s is not null; s = s.Parent)
        {
            if (s.variables is not null && s.variables.TryGetValue(name, out JinjaValue? value))
            {
                return value;
            }
        }

        return JinjaValue.Undefined;
    }

    public void Set(string name, JinjaValue value)
    {
        variables ??= new Dictionary<string, JinjaValue>(StringComparer.Ordinal);
        variables[name] = value;
    }
}
