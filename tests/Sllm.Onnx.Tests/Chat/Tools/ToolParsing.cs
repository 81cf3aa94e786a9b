using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Sllm.Onnx.Chat.Tools;

/// <summary>Runs text through the stream filter and describes the result compactly, for comparing parses.</summary>
internal static class ToolParsing
{
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static List<AIContent> Run(ToolCallFormat format, IEnumerable<string> pieces, ListLogger? logger = null)
    {
        var filter = new ToolCallStreamFilter(ToolCallSyntax.For(format), logger ?? new ListLogger());
        var contents = new List<AIContent>();
        foreach (string piece in pieces)
        {
            filter.Append(piece);
            contents.AddRange(filter.Ready);
            filter.Ready.Clear();
        }

        filter.Flush();
        contents.AddRange(filter.Ready);
        return contents;
    }

    public static string Describe(ToolCallFormat format, string text, ListLogger? logger = null) => Describe(Run(format, [text], logger));

    /// <summary>Adjacent text pieces are joined (how a stream splits text is not part of the result); calls print as
    /// <c>name(args)</c> with their arguments as compact JSON, ids left out (they are generated).</summary>
    public static string Describe(List<AIContent> contents)
    {
        var result = new StringBuilder();
        var text = new StringBuilder();
        foreach (AIContent content in contents)
        {
            switch (content)
            {
                case TextContent t:
                    text.Append(t.Text);
                    break;
                case FunctionCallContent call:
                    FlushText();
                    result.Append("call ").Append(call.Name).Append('(').Append(JsonSerializer.Serialize(call.Arguments, Relaxed)).Append(")\n");
                    break;
            }
        }

        FlushText();
        return result.ToString();

        void FlushText()
        {
            if (text.Length > 0)
            {
                result.Append("text ").Append(JsonSerializer.Serialize(text.ToString(), Relaxed)).Append('\n');
                text.Clear();
            }
        }
    }
}
