using System.Text;
using System.Text.Json;
using Microsoft.ML.Tokenizers;
using Sllm.Testing;

namespace Sllm.Rag;

/// <summary>The chunker with a real Microsoft.ML.Tokenizers tokenizer (WordPiece, with its own pre-tokenizer and normalizer).</summary>
public sealed class WordPieceChunkingTests
{
    // A letter-level WordPiece vocabulary: every lower-case word costs one token per letter, everything else [UNK].
    private static readonly Lazy<WordPieceTokenizer> Tokenizer = new(() =>
    {
        var vocab = new StringBuilder("[UNK]\n[CLS]\n[SEP]\n");
        for (char c = 'a'; c <= 'z'; c++)
        {
            vocab.Append(c).Append('\n').Append("##").Append(c).Append('\n');
        }

        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(vocab.ToString()));
        return WordPieceTokenizer.Create(stream);
    });

    [Fact]
    public void Chunk_WordPieceCounts_BudgetHolds()
    {
        string text = string.Join("\n\n", Enumerable.Range(0, 8).Select(p =>
            string.Join(" ", Enumerable.Range(0, 12).Select(s => $"sentence number {p} {s} has words like extraordinary and 42%."))));
        var chunker = new TextChunker(Tokenizer.Value, new TextChunkerOptions { MaxTokensPerChunk = 100, OverlapTokens = 20 });

        IReadOnlyList<TextChunk> chunks = chunker.Chunk(text);

        Assert.True(chunks.Count > 8);
        TextChunkerTests.AssertInvariants(text, chunks, 100, overlap: true, tokenizer: Tokenizer.Value);
    }

    [SharedFact]
    public void Chunk_WikipediaWithWordPiece_BudgetHolds()
    {
        var chunker = new TextChunker(Tokenizer.Value, new TextChunkerOptions { MaxTokensPerChunk = 256, OverlapTokens = 32 });
        foreach (string line in File.ReadLines(SharedData.PathOf("datasets", "rag", "corpus.jsonl")).Take(6))
        {
            using var doc = JsonDocument.Parse(line);
            string text = doc.RootElement.GetProperty("text").GetString()!;

            TextChunkerTests.AssertInvariants(text, chunker.Chunk(text), 256, overlap: true, tokenizer: Tokenizer.Value);
        }
    }
}
