namespace Sllm.ChatTemplates.Jinja;

/// <summary>Comments and raw blocks.</summary>
internal sealed partial class Lexer
{
    private void LexComment()
    {
        int start = pos;
        pos += 2;
        bool stripBefore = At(pos) == '-';
        if (stripBefore)
        {
            pos++;
        }

        int bodyStart = pos;
        while (At(pos) != '#' || At(pos + 1) != '}')
        {
            if (pos + 2 >= src.Length)
            {
                pos = start;
                throw Error("Missing end of comment tag");
            }

            pos++;
        }

        string comment = src[bodyStart..pos];
        bool stripAfter = comment.EndsWith('-');
        if (stripAfter)
        {
            comment = comment[..^1];
        }

        if (stripBefore)
        {
            StripTrailingWhitespace();
        }

        Add(TokenKind.Comment, comment, start);
        pos += 2;
        if (stripAfter)
        {
            SkipLeadingWhitespace();
        }
    }

    /// <summary>Lexes <c>{% raw %}...{% endraw %}</c> into one text token (an extension: the reference has no raw blocks).</summary>
    private bool TryLexRaw()
    {
        if (!TryMatchTag(pos, "raw", out int afterOpen, out bool stripBefore, out bool stripInside))
        {
            return false;
        }

        int search = afterOpen;
        while (true)
        {
            int candidate = src.IndexOf("{%", search, StringComparison.Ordinal);
            if (candidate < 0)
            {
                throw Error("Missing {% endraw %} for {% raw %}");
            }

            if (TryMatchTag(candidate, "endraw", out int afterClose, out bool stripContentEnd, out bool stripAfter))
            {
                if (stripBefore)
                {
                    StripTrailingWhitespace();
                }

                string content = src[afterOpen..candidate];
                if (stripInside)
                {
                    content = CharClass.TrimStart(content);
                }

                if (stripContentEnd)
                {
                    content = CharClass.TrimEnd(content);
                }

                // Consecutive text tokens are fine for the parser; a Comment-kind marker is not needed.
                tokens.Add(new Token(TokenKind.Text, content, Orig(afterOpen)));
                tokens.Add(new Token(TokenKind.Comment, string.Empty, Orig(candidate)));
                pos = afterClose;
                if (stripAfter)
                {
                    SkipLeadingWhitespace();
                }

                return true;
            }

            search = candidate + 2;
        }
    }

    private bool TryMatchTag(int at, string word, out int end, out bool dashOpen, out bool dashClose)
    {
        end = 0;
        dashOpen = false;
        dashClose = false;
        if (string.CompareOrdinal(src, at, "{%", 0, 2) != 0)
        {
            return false;
        }

        int p = at + 2;
        if (At(p) == '-')
        {
            dashOpen = true;
            p++;
        }

        while (p < src.Length && CharClass.IsWhitespace(src[p]))
        {
            p++;
        }

        if (string.CompareOrdinal(src, p, word, 0, word.Length) != 0 || CharClass.IsWord(At(p + word.Length)))
        {
            return false;
        }

        p += word.Length;
        while (p < src.Length && CharClass.IsWhitespace(src[p]))
        {
            p++;
        }

        if (At(p) == '-')
        {
            dashClose = true;
            p++;
        }

        if (At(p) != '%' || At(p + 1) != '}')
        {
            return false;
        }

        end = p + 2;
        return true;
    }
}
