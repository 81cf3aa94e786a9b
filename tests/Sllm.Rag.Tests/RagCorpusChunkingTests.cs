using System.Text.Json;
using Sllm.Testing;

namespace Sllm.Rag;

/// <summary>Chunks the 48 Wikipedia articles of ../shared/datasets/rag/corpus.jsonl and checks the invariants.</summary>
public sealed class RagCorpusChunkingTests
{
    [SharedTheory]
    [InlineData(512, 64)]
    [InlineData(128, 16)]
    [InlineData(16, 0)]
    public void Chunk_WikipediaCorpus_RespectsBudgetAndOffsets(int max, int overlap)
    {
        var chunker = new TextChunker(WordTokenizer.Instance, new TextChunkerOptions { MaxTokensPerChunk = max, OverlapTokens = overlap });
        int documents = 0, chunks = 0;
        foreach (string line in File.ReadLines(SharedData.PathOf("datasets", "rag", "corpus.jsonl")))
        {
            using var doc = JsonDocument.Parse(line);
            string text = doc.RootElement.GetProperty("text").GetString()!;

            IReadOnlyList<TextChunk> result = chunker.Chunk(text);

            TextChunkerTests.AssertInvariants(text, result, max, overlap: overlap > 0);
            documents++;
            chunks += result.Count;
        }

        Assert.Equal(48, documents);
        Assert.True(chunks > documents, $"{chunks} chunks for {documents} documents");
    }

    [SharedFact]
    public void Chunk_WikipediaArticle_ChunkBoundariesFallBetweenParagraphs()
    {
        // Every SQuAD paragraph of "normans" fits in 512 tokens, so chunks hold whole paragraphs and cut only between them.
        string text = ReadDocument("normans");
        var chunker = new TextChunker(WordTokenizer.Instance, new TextChunkerOptions { MaxTokensPerChunk = 512, OverlapTokens = 0 });

        IReadOnlyList<TextChunk> chunks = chunker.Chunk(text);

        Assert.All(chunks, c =>
        {
            Assert.True(c.Start == 0 || text.AsSpan(0, c.Start).EndsWith("\n\n"), $"chunk {c.Index} starts mid-paragraph");
            Assert.True(c.End == text.Length || text.AsSpan(c.End).StartsWith("\n\n"), $"chunk {c.Index} ends mid-paragraph");
        });
    }

    private static string ReadDocument(string docId)
    {
        foreach (string line in File.ReadLines(SharedData.PathOf("datasets", "rag", "corpus.jsonl")))
        {
            using var doc = JsonDocument.Parse(line);
            if (doc.RootElement.GetProperty("doc_id").GetString() == docId)
            {
                return doc.RootElement.GetProperty("text").GetString()!;
            }
        }

        throw new InvalidOperationException(docId + " not found");
    }
}
