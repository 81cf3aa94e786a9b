using System.Text;
using Sllm.Generation;

namespace Sllm.Tests.Generation;

/// <summary>Stop sequences across token boundaries, never emitted.</summary>
public sealed class StopSequenceMatcherTests
{
    [Fact]
    public void Stop_Split_Across_Two_Pieces()
    {
        var matcher = new StopSequenceMatcher(["</s>"]);
        Assert.Equal("Hello ", matcher.Append("Hello </"));
        Assert.False(matcher.IsStopped);
        Assert.Equal("", matcher.Append("s> more"));
        Assert.True(matcher.IsStopped);
        Assert.Equal("</s>", matcher.MatchedStopSequence);
        Assert.Equal("", matcher.Append("ignored"));
        Assert.Equal("", matcher.Flush());
    }

    [Fact]
    public void Stop_Split_Across_Three_Pieces()
    {
        var matcher = new StopSequenceMatcher(["<|end|>"]);
        Assert.Equal("ab", matcher.Append("ab<"));
        Assert.Equal("", matcher.Append("|en"));
        Assert.Equal("", matcher.Append("d|>tail"));
        Assert.True(matcher.IsStopped);
    }

    [Fact]
    public void A_Partial_Match_That_Fails_Is_Released()
    {
        var matcher = new StopSequenceMatcher(["</s>"]);
        Assert.Equal("x ", matcher.Append("x </"));
        Assert.Equal("</b> y", matcher.Append("b> y"));
        Assert.False(matcher.IsStopped);
        Assert.Null(matcher.MatchedStopSequence);
    }

    [Fact]
    public void Overlapping_Prefixes_Earliest_Completion_Wins()
    {
        var matcher = new StopSequenceMatcher(["abc", "bcd"]);
        Assert.Equal("z", matcher.Append("zab"));
        Assert.Equal("", matcher.Append("cd"));
        Assert.Equal("abc", matcher.MatchedStopSequence);

        // "ab" was held for "abcx", but "bcd" completes first: the "a" before it is emitted.
        matcher = new StopSequenceMatcher(["abcx", "bcd"]);
        Assert.Equal("", matcher.Append("ab"));
        Assert.Equal("a", matcher.Append("cd"));
        Assert.Equal("bcd", matcher.MatchedStopSequence);

        // Held "bc" may still become "bcd" even though "abc" cannot.
        matcher = new StopSequenceMatcher(["abc", "bcd"]);
        Assert.Equal("x", matcher.Append("xbc"));
        Assert.Equal("bce", matcher.Append("e"));
    }

    [Fact]
    public void Stops_Ending_Together_Prefer_The_Earlier_Start()
    {
        var matcher = new StopSequenceMatcher(["cd", "bcd"]);
        Assert.Equal("a", matcher.Append("abcd"));
        Assert.Equal("bcd", matcher.MatchedStopSequence);
    }

    [Fact]
    public void Stop_At_The_Very_Start()
    {
        var matcher = new StopSequenceMatcher(["STOP"]);
        Assert.Equal("", matcher.Append("STOP now"));
        Assert.True(matcher.IsStopped);
    }

    [Fact]
    public void Text_After_A_Stop_Inside_A_Piece_Is_Dropped()
    {
        var matcher = new StopSequenceMatcher(["STOP"]);
        Assert.Equal("foo ", matcher.Append("foo STOP bar"));
        Assert.Equal("", matcher.Append("baz"));
        Assert.Equal("", matcher.Flush());
    }

    [Fact]
    public void No_Stops_Passes_Text_Through()
    {
        var matcher = new StopSequenceMatcher([null!, ""]);
        Assert.Equal("a</", matcher.Append("a</"));
        Assert.Equal("\uD83D", matcher.Append("\uD83D"));
        Assert.Equal("", matcher.Flush());
        Assert.False(matcher.IsStopped);
        Assert.Throws<ArgumentNullException>(() => new StopSequenceMatcher(null!));
        Assert.Throws<ArgumentNullException>(() => matcher.Append(null!));
    }

    [Fact]
    public void Surrogate_Pairs_Are_Never_Split()
    {
        // A piece ending in a high surrogate keeps it until the low surrogate arrives.
        var matcher = new StopSequenceMatcher(["zz"]);
        Assert.Equal("a", matcher.Append("a\uD83D"));
        Assert.Equal("\uD83D\uDE00b", matcher.Append("\uDE00b"));

        // A stop beginning with a low surrogate holds the whole pair, not half of it.
        matcher = new StopSequenceMatcher(["\uDE00!"]);
        Assert.Equal("a", matcher.Append("a\uD83D\uDE00"));
        Assert.Equal("\uD83D\uDE00?", matcher.Append("?"));

        // Emoji stop sequences match across pieces.
        matcher = new StopSequenceMatcher(["\uD83D\uDE00\uD83D\uDE00"]);
        Assert.Equal("x", matcher.Append("x\uD83D\uDE00"));
        Assert.Equal("", matcher.Append("\uD83D\uDE00y"));
        Assert.True(matcher.IsStopped);

        matcher = new StopSequenceMatcher(["\uD83D\uDE00\uD83D\uDE00"]);
        Assert.Equal("x", matcher.Append("x\uD83D\uDE00"));
        Assert.Equal("\uD83D\uDE00z", matcher.Append("z"));
    }

    [Fact]
    public void Flush_Releases_Held_Text_And_Reset_Starts_Over()
    {
        var matcher = new StopSequenceMatcher(["</s>"]);
        Assert.Equal("Hello ", matcher.Append("Hello </"));
        Assert.Equal("</", matcher.Flush());
        Assert.Equal("", matcher.Flush());

        Assert.Equal("", matcher.Append("</s>"));
        Assert.True(matcher.IsStopped);
        matcher.Reset();
        Assert.False(matcher.IsStopped);
        Assert.Null(matcher.MatchedStopSequence);
        Assert.Equal("ok", matcher.Append("ok"));
    }

    [Fact]
    public void Streamed_Output_Equals_The_Text_Before_The_First_Stop()
    {
        string[] stops = ["abc", "bcd", "cab", "aaab", "d"];
        var random = new Random(12);
        for (int trial = 0; trial < 2000; trial++)
        {
            var matcher = new StopSequenceMatcher(stops);
            var full = new StringBuilder();
            var emitted = new StringBuilder();
            int pieces = random.Next(1, 12);
            for (int p = 0; p < pieces; p++)
            {
                var piece = new StringBuilder();
                for (int c = random.Next(0, 5); c > 0; c--)
                {
                    piece.Append("abcd"[random.Next(random.Next(2) == 0 ? 3 : 4)]);
                }

                full.Append(piece);
                emitted.Append(matcher.Append(piece.ToString()));
            }

            emitted.Append(matcher.Flush());
            (int end, string? stop) = FirstStop(full.ToString(), stops);
            string expected = stop is null ? full.ToString() : full.ToString(0, end - stop.Length);
            Assert.Equal(expected, emitted.ToString());
            Assert.Equal(stop, matcher.MatchedStopSequence);
        }
    }

    private static (int End, string? Stop) FirstStop(string text, string[] stops)
    {
        for (int end = 1; end <= text.Length; end++)
        {
            string? best = null;
            foreach (string stop in stops)
            {
                if (end >= stop.Length && string.CompareOrdinal(text, end - stop.Length, stop, 0, stop.Length) == 0 &&
                    (best is null || stop.Length > best.Length))
                {
                    best = stop;
                }
            }

            if (best is not null)
            {
                return (end, best);
            }
        }

        return (text.Length, null);
    }
}
