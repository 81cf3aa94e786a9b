namespace Sllm.ChatTemplates.Jinja;

/// <summary>A template's name and text, turning offsets into 1-based line and column for error messages.</summary>
internal sealed class SourceText
{
    private readonly List<int> lineStarts = [0];

    public SourceText(string text, string? name, string? path)
    {
        Text = text;
        Name = name;
        Path = path;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                lineStarts.Add(i + 1);
            }
        }
    }

    public string Text { get; }

    public string? Name { get; }

    public string? Path { get; }

    public (int Line, int Column) Locate(int offset)
    {
        int index = lineStarts.BinarySearch(offset);
        if (index < 0)
        {
            index = ~index - 1;
        }

        return (index + 1, offset - lineStarts[index] + 1);
    }

    public ChatTemplateException Error(SllmErrorKind kind, string message, int offset, Exception? inner = null)
    {
        (int line, int column) = Locate(Math.Clamp(offset, 0, Math.Max(0, Text.Length)));
        return new ChatTemplateException(kind, message, Name, line, column, Path, inner);
    }
}
