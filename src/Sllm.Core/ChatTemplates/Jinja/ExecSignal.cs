namespace Sllm.ChatTemplates.Jinja;

/// <summary>How a block finished: normally, or through <c>{% break %}</c> / <c>{% continue %}</c> (no exceptions on the hot path).</summary>
internal enum ExecSignal
{
    None,
    Break,
    Continue,
}
