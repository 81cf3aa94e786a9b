namespace Sllm.ChatTemplates.Jinja;

/// <summary>A callable runtime value: a global, a macro, a bound method or <c>caller</c>.</summary>
/// <param name="interpreter">The interpreter running the render.</param>
/// <param name="args">Positional arguments; keyword arguments, when given, are the last item as a <see cref="ValueKind.KeywordArguments"/> value.</param>
/// <param name="scope">The scope of the call site (macros see it, as in the reference).</param>
internal delegate JinjaValue JinjaFunction(Interpreter interpreter, List<JinjaValue> args, Scope scope);
