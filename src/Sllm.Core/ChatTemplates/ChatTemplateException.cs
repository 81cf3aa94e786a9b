namespace Sllm.ChatTemplates;

/// <summary>A chat template failed to parse (<see cref="SllmErrorKind.InvalidTemplate"/>) or to render
/// (<see cref="SllmErrorKind.TemplateRender"/>, including <c>raise_exception</c> and sandbox limits).</summary>
/// <remarks>
/// The message names the template and the line and column of the construct that failed, e.g.
/// <c>gemma-2-it:3:12: System role not supported</c>. <see cref="TemplateMessage"/> holds the bare message
/// (for <c>raise_exception(msg)</c>, exactly <c>msg</c>).
/// </remarks>
public sealed class ChatTemplateException : SllmException
{
    /// <summary>Initializes a new instance of the <see cref="ChatTemplateException"/> class.</summary>
    public ChatTemplateException()
        : this("The chat template failed.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ChatTemplateException"/> class with a render-error message.</summary>
    /// <param name="message">The message that describes the failure.</param>
    public ChatTemplateException(string message)
        : this(message, innerException: null)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ChatTemplateException"/> class with a render-error message and a cause.</summary>
    /// <param name="message">The message that describes the failure.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public ChatTemplateException(string message, Exception? innerException)
        : this(SllmErrorKind.TemplateRender, message, templateName: null, line: 0, column: 0, path: null, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ChatTemplateException"/> class.</summary>
    /// <param name="kind"><see cref="SllmErrorKind.InvalidTemplate"/> or <see cref="SllmErrorKind.TemplateRender"/>.</param>
    /// <param name="message">The bare message, without the location prefix.</param>
    /// <param name="templateName">The template's name, when known.</param>
    /// <param name="line">The 1-based line, or 0 when unknown.</param>
    /// <param name="column">The 1-based column, or 0 when unknown.</param>
    /// <param name="path">The file the template came from, when there is one.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public ChatTemplateException(
        SllmErrorKind kind,
        string message,
        string? templateName,
        int line,
        int column,
        string? path = null,
        Exception? innerException = null)
        : base(kind, Format(message, templateName, line, column), path, innerException)
    {
        TemplateMessage = message ?? string.Empty;
        TemplateName = templateName;
        Line = line;
        Column = column;
    }

    /// <summary>Gets the bare message, without the template name and location.</summary>
    public string TemplateMessage { get; }

    /// <summary>Gets the name of the template that failed, or <see langword="null"/> when it has none.</summary>
    public string? TemplateName { get; }

    /// <summary>Gets the 1-based line of the failing construct, or 0 when unknown.</summary>
    public int Line { get; }

    /// <summary>Gets the 1-based column of the failing construct, or 0 when unknown.</summary>
    public int Column { get; }

    private static string Format(string message, string? templateName, int line, int column)
    {
        string where = templateName ?? "<template>";
        if (line > 0)
        {
            where += column > 0 ? $":{line}:{column}" : $":{line}";
        }

        return $"{where}: {message}";
    }
}
