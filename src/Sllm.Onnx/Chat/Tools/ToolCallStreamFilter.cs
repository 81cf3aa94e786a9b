using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Sllm.Onnx;

/// <summary>Splits streamed assistant text into text to show and tool calls, so call markup never reaches the caller as text.</summary>
/// <remarks>
/// <para>Feed every text piece to <see cref="Append"/> and call <see cref="Flush"/> once at the end; after each call,
/// <see cref="Ready"/> holds what may be emitted now (<see cref="TextContent"/> and <see cref="FunctionCallContent"/>, in
/// order), which the caller clears after taking it. The concatenated result does not depend on how the text was split.</para>
/// <para>Held back: text that could be the start of the format's open marker, whitespace just before a possible call, the
/// whole call until its close marker (or the end, for formats without one), and, for formats whose call is the whole message
/// (Llama 3, generic JSON), a message that starts with <c>{</c>, <c>[</c> or <c>```</c> until the end. Whitespace between a
/// call and the text around it is dropped. A call that does not parse is emitted as text, markers included, with a logged
/// warning. Without a syntax (no tools in the request) every piece passes straight through.</para>
/// <para>Not thread-safe: one instance per response stream.</para>
/// </remarks>
internal sealed class ToolCallStreamFilter
{
    private readonly ToolCallSyntax? syntax;
    private readonly ILogger logger;
    private readonly StringBuilder held = new();
    private readonly StringBuilder call = new();
    private readonly List<FunctionCallContent> parsed = [];
    private State state;
    private bool afterCall;

    public ToolCallStreamFilter(ToolCallSyntax? syntax, ILogger logger)
    {
        this.syntax = syntax;
        this.logger = logger;
        state = syntax is { WholeMessageJson: true } ? State.Start : State.Text;
    }

    private enum State
    {
        Start,
        Text,
        WholeMessage,
        Call,
    }

    /// <summary>Gets the contents ready to emit; the caller clears the list after taking them.</summary>
    public List<AIContent> Ready { get; } = [];

    /// <summary>Gets a value indicating whether this filter parses calls (the request has tools).</summary>
    public bool ParsesCalls => syntax is not null;

    /// <summary>Gets the number of calls parsed so far.</summary>
    public int CallCount { get; private set; }

    /// <summary>Adds the next piece of generated text.</summary>
    /// <param name="piece">The text.</param>
    public void Append(string piece)
    {
        if (piece.Length == 0)
        {
            return;
        }

        if (syntax is null)
        {
            Ready.Add(new TextContent(piece));
            return;
        }

        switch (state)
        {
            case State.Call:
                call.Append(piece);
                ScanCall();
                break;
            case State.WholeMessage:
                held.Append(piece);
                CheckWholeMessage();
                break;
            default:
                held.Append(piece);
                if (state == State.Start)
                {
                    DecideStart();
                }

                if (state == State.Text)
                {
                    ScanText();
                }

                break;
        }
    }

    /// <summary>Ends the message: emits what was held back and parses a call left open.</summary>
    public void Flush()
    {
        switch (state)
        {
            case State.Call:
                FinishCall(call.ToString(), closed: false);
                break;
            case State.WholeMessage:
                FinishWholeMessage(held.ToString());
                break;
            default:
                EmitText(held.ToString());
                break;
        }

        held.Clear();
        call.Clear();
        state = syntax is { WholeMessageJson: true } ? State.Start : State.Text;
        afterCall = false;
    }

    private void DecideStart()
    {
        for (int i = 0; i < held.Length; i++)
        {
            char c = held[i];
            if (!char.IsWhiteSpace(c))
            {
                state = c is '{' or '[' or '`' ? State.WholeMessage : State.Text;
                if (state == State.WholeMessage)
                {
                    CheckWholeMessage();
                }

                return;
            }
        }
    }

    private void CheckWholeMessage()
    {
        // A backtick only starts a call when it opens a fence; anything else is ordinary text after all.
        string text = held.ToString().TrimStart();
        if (text[0] == '`' && !(text.Length < 3 ? "```".StartsWith(text, StringComparison.Ordinal) : text.StartsWith("```", StringComparison.Ordinal)))
        {
            state = State.Text;
            ScanText();
        }
    }

    private void ScanText()
    {
        string? open = syntax!.OpenMarker;
        if (open is null)
        {
            EmitText(held.ToString());
            held.Clear();
            return;
        }

        string text = held.ToString();
        int at = text.IndexOf(open, StringComparison.Ordinal);
        if (at >= 0)
        {
            EmitText(text[..at].TrimEnd());
            held.Clear();
            state = State.Call;
            call.Clear().Append(text, at + open.Length, text.Length - at - open.Length);
            ScanCall();
            return;
        }

        int end = text.Length - PartialMarkerLength(text, open);
        while (end > 0 && char.IsWhiteSpace(text[end - 1]))
        {
            end--;
        }

        EmitText(text[..end]);
        held.Remove(0, end);
    }

    private void ScanCall()
    {
        string? close = syntax!.CloseMarker;
        if (close is null)
        {
            return;
        }

        string payload = call.ToString();
        int at = payload.IndexOf(close, StringComparison.Ordinal);
        if (at < 0)
        {
            return;
        }

        call.Clear();
        state = State.Text;
        FinishCall(payload[..at], closed: true);
        held.Append(payload, at + close.Length, payload.Length - at - close.Length);
        ScanText();
    }

    private void FinishCall(string payload, bool closed)
    {
        parsed.Clear();
        if (syntax!.TryParsePayload(payload, parsed, out string? error))
        {
            AddCalls();
            return;
        }

        string raw = syntax.OpenMarker + payload + (closed ? syntax.CloseMarker : string.Empty);
        ToolCallLog.MalformedCall(logger, syntax.Format, error ?? "unreadable", raw);
        afterCall = false;
        EmitText(raw);
    }

    private void FinishWholeMessage(string message)
    {
        parsed.Clear();
        if (syntax!.TryParseWholeMessage(message, parsed))
        {
            AddCalls();
            return;
        }

        // Only warn for what was evidently meant as a call; an ordinary JSON answer is just text.
        if (message.Contains("\"name\"", StringComparison.Ordinal)
            && (message.Contains("\"arguments\"", StringComparison.Ordinal) || message.Contains("\"parameters\"", StringComparison.Ordinal)))
        {
            ToolCallLog.MalformedCall(logger, syntax.Format, "the message looks like a JSON call but is not one", message);
        }

        EmitText(message);
    }

    private void AddCalls()
    {
        foreach (FunctionCallContent content in parsed)
        {
            Ready.Add(content);
        }

        CallCount += parsed.Count;
        afterCall = true;
    }

    private void EmitText(string text)
    {
        if (afterCall)
        {
            text = text.TrimStart();
        }

        if (text.Length > 0)
        {
            afterCall = false;
            Ready.Add(new TextContent(text));
        }
    }

    /// <summary>The length of the longest end of <paramref name="text"/> that <paramref name="marker"/> starts with.</summary>
    private static int PartialMarkerLength(string text, string marker)
    {
        for (int length = Math.Min(marker.Length - 1, text.Length); length > 0; length--)
        {
            if (text.AsSpan(text.Length - length).SequenceEqual(marker.AsSpan(0, length)))
            {
                return length;
            }
        }

        return 0;
    }
}
