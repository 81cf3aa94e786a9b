namespace Sllm.ChatTemplates;

/// <summary>Sandbox limits for parsing and rendering an untrusted chat template.</summary>
/// <remarks>
/// Templates come from model folders and are untrusted: these bounds guarantee that parsing and rendering terminate
/// without exhausting memory or the stack. Exceeding a parse limit raises <see cref="ChatTemplateException"/> with
/// <see cref="SllmErrorKind.InvalidTemplate"/>; exceeding a render limit raises it with <see cref="SllmErrorKind.TemplateRender"/>.
/// A render may also copy or scan at most 64 times the larger of <see cref="MaxOutputLength"/> and <see cref="MaxIterations"/>
/// characters in total (a list or dict item counts as 8), so that time stays bounded when each step is within the other limits.
/// <see cref="ChatTemplate.Parse(string, string?, ChatTemplateOptions?)"/> copies the options, so changing an instance later does not affect parsed templates.
/// Not thread-safe while being changed.
/// </remarks>
public sealed class ChatTemplateOptions
{
    /// <summary>Gets or sets the budget of loop iterations plus macro and <c>caller()</c> invocations in one render, which also
    /// bounds the length of any list a template builds (<c>range</c>, <c>+</c>, <c>append</c>).</summary>
    /// <value>The default is 100,000.</value>
    public int MaxIterations { get; set; } = 100_000;

    /// <summary>Gets or sets how deeply macro and <c>caller()</c> calls may nest (recursive macros stop here).</summary>
    /// <value>The default is 64.</value>
    public int MaxRecursionDepth { get; set; } = 64;

    /// <summary>Gets or sets the largest rendered output, and the largest string a template may build, in UTF-16 characters.</summary>
    /// <value>The default is 4,194,304 (4 Mi characters).</value>
    public int MaxOutputLength { get; set; } = 4 * 1024 * 1024;

    /// <summary>Gets or sets how deeply blocks and expressions may nest in the source (<c>((((</c>, nested <c>{% if %}</c>);
    /// chains of binary and postfix operators (<c>a + b + c</c>, <c>x.a.b</c>, <c>x|f|g</c>, <c>f()()</c>) may be four times as long.</summary>
    /// <value>The default is 128.</value>
    public int MaxNestingDepth { get; set; } = 128;

    /// <summary>Checks that every limit is positive.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A limit is zero or negative.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxIterations);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxRecursionDepth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxOutputLength);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxNestingDepth);
    }

    internal ChatTemplateOptions Clone() => new()
    {
        MaxIterations = MaxIterations,
        MaxRecursionDepth = MaxRecursionDepth,
        MaxOutputLength = MaxOutputLength,
        MaxNestingDepth = MaxNestingDepth,
    };
}
