using System.Text;

namespace Sllm.Rag;

public sealed class TextChunkerTests
{
    private static TextChunker Chunker(int max, int overlap = 0) =>
        new(WordTokenizer.Instance, new TextChunkerOptions { MaxTokensPerChunk = max, OverlapTokens = overlap });

    [Fact]
    public void Chunk_ShortText_OneTrimmedChunk()
    {
        const string Text = "  Hello world.  \n";

        TextChunk chunk = Assert.Single(Chunker(16).Chunk(Text));

        Assert.Equal("Hello world.", chunk.Text);
        Assert.Equal((0, 2, 12, 3), (chunk.Index, chunk.Start, chunk.Length, chunk.TokenCount));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\n\t ")]
    public void Chunk_EmptyOrWhitespace_NoChunks(string text) => Assert.Empty(Chunker(16).Chunk(text));

    [Fact]
    public void Chunk_Paragraphs_CutAtBlankLines()
    {
        string p1 = Sentence("alpha", 10);
        string p2 = Sentence("beta", 10);
        string text = p1 + "\n\n" + p2;

        IReadOnlyList<TextChunk> chunks = Chunker(16).Chunk(text);

        Assert.Equal([p1, p2], chunks.Select(c => c.Text));
        AssertInvariants(text, chunks, 16);
    }

    [Fact]
    public void Chunk_LongParagraph_CutAtSentenceEnds()
    {
        // Five 8-token sentences in one paragraph; two fit per 16-token chunk.
        string text = string.Join(" ", Enumerable.Range(0, 5).Select(i => Sentence("s" + i, 7)));

        IReadOnlyList<TextChunk> chunks = Chunker(16).Chunk(text);

        Assert.Equal(3, chunks.Count);
        Assert.All(chunks, c => Assert.EndsWith(".", c.Text, StringComparison.Ordinal));
        Assert.Equal(16, chunks[0].TokenCount);
        AssertInvariants(text, chunks, 16);
    }

    [Fact]
    public void Chunk_LongSentence_CutAtWords()
    {
        string text = Sentence("w", 40);

        IReadOnlyList<TextChunk> chunks = Chunker(16).Chunk(text);

        Assert.Equal(3, chunks.Count); // 41 tokens (40 words and the full stop)
        Assert.All(chunks, c => Assert.False(char.IsWhiteSpace(c.Text[0])));
        AssertInvariants(text, chunks, 16);
    }

    [Fact]
    public void Chunk_WithOverlap_RepeatsTrailingSentences()
    {
        string text = string.Join(" ", Enumerable.Range(0, 6).Select(i => Sentence("s" + i, 3)));

        IReadOnlyList<TextChunk> chunks = Chunker(16, overlap: 4).Chunk(text);

        Assert.True(chunks.Count >= 2);
        for (int i = 1; i < chunks.Count; i++)
        {
            // Each 4-token sentence of the previous chunk's end is repeated, and every chunk still moves forward.
            Assert.True(chunks[i].Start < chunks[i - 1].End, $"chunk {i} does not overlap");
            Assert.True(chunks[i].End > chunks[i - 1].End);
            Assert.Equal(text.Substring(chunks[i].Start, chunks[i - 1].End - chunks[i].Start), chunks[i - 1].Text[(chunks[i].Start - chunks[i - 1].Start)..]);
        }

        AssertInvariants(text, chunks, 16, overlap: true);
    }

    [Fact]
    public void Chunk_OverlapLargerThanAnySentence_StillProgresses()
    {
        // Sentences of 9 tokens with a 16 budget: a 9-token overlap can't fit with the next sentence, so it is dropped.
        string text = string.Join(" ", Enumerable.Range(0, 4).Select(i => Sentence("s" + i, 8)));

        IReadOnlyList<TextChunk> chunks = Chunker(16, overlap: 7).Chunk(text);

        Assert.Equal(4, chunks.Count);
        AssertInvariants(text, chunks, 16, overlap: true);
    }

    [Fact]
    public void Chunk_WordLongerThanBudget_CutInsideTheWord()
    {
        // Punctuation scalars are one token each, so this "word" of 50 symbols is 50 tokens.
        string text = "start " + new string('-', 50) + " end";

        IReadOnlyList<TextChunk> chunks = Chunker(16).Chunk(text);

        AssertInvariants(text, chunks, 16);
        Assert.Equal(text.Replace(" ", string.Empty, StringComparison.Ordinal), string.Concat(chunks.Select(c => c.Text.Replace(" ", string.Empty, StringComparison.Ordinal))));
    }

    [Fact]
    public void Chunk_CjkAndEmoji_NeverSplitsSurrogatesOrClusters()
    {
        // No spaces at all: 60 ideographs and 20 family emoji (ZWJ sequences of 4 scalars = 4 tokens each here).
        string family = "\U0001F468\u200D\U0001F469\u200D\U0001F467\u200D\U0001F466";
        var sb = new StringBuilder();
        for (int i = 0; i < 20; i++)
        {
            sb.Append("日本語のテキスト").Append(family).Append('。');
        }

        string text = sb.ToString();

        IReadOnlyList<TextChunk> chunks = Chunker(16).Chunk(text);

        AssertInvariants(text, chunks, 16);
        foreach (TextChunk c in chunks)
        {
            Assert.False(char.IsLowSurrogate(c.Text[0]), $"chunk {c.Index} starts inside a surrogate pair");
            Assert.False(char.IsHighSurrogate(c.Text[^1]), $"chunk {c.Index} ends inside a surrogate pair");
            Assert.NotEqual('\u200D', c.Text[0]);
        }

        Assert.Equal(text, string.Concat(chunks.Select(c => c.Text)));
    }

    [Fact]
    public void Chunk_OversizedCluster_FallsBackToScalars()
    {
        // One grapheme cluster of 40 scalars (a base letter with 39 combining marks) exceeds 16 tokens by itself.
        string text = "a" + new string('\u0301', 39);

        IReadOnlyList<TextChunk> chunks = Chunker(16).Chunk(text);

        AssertInvariants(text, chunks, 16);
        Assert.Equal(text, string.Concat(chunks.Select(c => c.Text)));
    }

    [Fact]
    public void Options_Defaults_AndValidation()
    {
        var options = new TextChunkerOptions();
        Assert.Equal((512, 64), (options.MaxTokensPerChunk, options.OverlapTokens));
        options.Validate();

        Assert.Throws<ArgumentOutOfRangeException>(() => new TextChunkerOptions { MaxTokensPerChunk = 15 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new TextChunkerOptions { OverlapTokens = -1 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new TextChunkerOptions { MaxTokensPerChunk = 100, OverlapTokens = 50 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new TextChunker(WordTokenizer.Instance, new TextChunkerOptions { MaxTokensPerChunk = 1 }));
        Assert.Throws<ArgumentNullException>(() => new TextChunker(null!));
        Assert.Throws<ArgumentNullException>(() => Chunker(16).Chunk(null!));
    }

    /// <summary>Budget, exact offsets, order, indices and coverage of every non-whitespace character.</summary>
    internal static void AssertInvariants(
        string text, IReadOnlyList<TextChunk> chunks, int max, bool overlap = false, Microsoft.ML.Tokenizers.Tokenizer? tokenizer = null)
    {
        tokenizer ??= WordTokenizer.Instance;
        var covered = new bool[text.Length];
        for (int i = 0; i < chunks.Count; i++)
        {
            TextChunk c = chunks[i];
            Assert.Equal(i, c.Index);
            Assert.Equal(c.Text, text.Substring(c.Start, c.Length));
            Assert.InRange(c.TokenCount, 1, max);
            Assert.Equal(tokenizer.CountTokens(c.Text), c.TokenCount);
            Assert.Equal(c.Text.Trim(), c.Text);
            if (i > 0)
            {
                Assert.True(c.Start > chunks[i - 1].Start && c.End > chunks[i - 1].End, $"chunk {i} is not after chunk {i - 1}");
                if (!overlap)
                {
                    Assert.True(c.Start >= chunks[i - 1].End, $"chunk {i} overlaps chunk {i - 1}");
                }
            }

            for (int k = c.Start; k < c.End; k++)
            {
                covered[k] = true;
            }
        }

        for (int k = 0; k < text.Length; k++)
        {
            Assert.True(covered[k] || char.IsWhiteSpace(text[k]), $"character {k} ('{text[k]}') is in no chunk");
        }
    }

    private static string Sentence(string word, int words) =>
        string.Join(" ", Enumerable.Range(0, words).Select(i => word + "x" + i)) + ".";
}
