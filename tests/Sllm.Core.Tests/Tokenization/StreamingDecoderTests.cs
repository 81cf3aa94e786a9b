using System.Text;
using Sllm.Tokenization;

namespace Sllm.Tests.Tokenization;

/// <summary>The per-token streaming modes (Metaspace, WordPiece) give exactly the whole decode.</summary>
public sealed class StreamingDecoderTests
{
    private const string Vocab = """{"[UNK]": 0, "[CLS]": 1, "▁": 2, "▁hello": 3, "world": 4, "##ld": 5, ".": 6, "'": 7, "n't": 8, "s": 9, "##s": 10, "▁▁": 11, ",": 12, "▁n't": 13, "##'": 14, "?": 15}""";

    public static TheoryData<string, bool> Decoders => new()
    {
        { """{"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": true}""", false },
        { """{"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": true}""", true },
        { """{"type": "Metaspace", "replacement": "▁", "prepend_scheme": "never", "split": true}""", true },
        { """{"type": "WordPiece", "prefix": "##", "cleanup": true}""", false },
        { """{"type": "WordPiece", "prefix": "##", "cleanup": false}""", true },
        { """{"type": "WordPiece", "prefix": "##", "cleanup": true}""", true },
    };

    [Fact]
    public void Cleanup_Is_Not_Applied_Before_A_Later_Rule_Could_Take_Its_Space()
    {
        // " ' ?": " ?" comes first in the rule order, so the whole decode is " '?", never "'?".
        HuggingFaceTokenizer tokenizer = InlineTokenizer.Create(
            InlineTokenizer.Document(
                model: """{"type": "BPE", "vocab": {"Ġ'": 0, "Ġ": 1, "?": 2, "'": 3}, "merges": []}""",
                decoder: """{"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": false, "use_regex": true}"""),
            """{"clean_up_tokenization_spaces": true}""");
        int[] ids = [0, 1, 2];
        StreamingDecoder streaming = tokenizer.CreateStreamingDecoder();
        var sb = new StringBuilder();
        foreach (int id in ids)
        {
            sb.Append(streaming.Append(id));
        }

        sb.Append(streaming.Flush());
        Assert.Equal(" '?", tokenizer.Decode(ids, skipSpecialTokens: false));
        Assert.Equal(" '?", sb.ToString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ByteLevel_Streaming_Equals_Whole_Decode_Around_Cleanup_Patterns(bool skip)
    {
        HuggingFaceTokenizer tokenizer = InlineTokenizer.Create(
            InlineTokenizer.Document(
                model: """{"type": "BPE", "vocab": {"Ġ": 0, "'": 1, "n't": 2, ".": 3, "?": 4, "Ġ'": 5, "s": 6, "Ġn": 7, "ĠĠ": 8, "m": 9, "ve": 10, "Ġis": 11, ",": 12, "!": 13, "'t": 14, "re": 15, "Ġ.": 16, "x": 17}, "merges": []}""",
                decoder: """{"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": false, "use_regex": true}"""),
            """{"clean_up_tokenization_spaces": true}""");
        var random = new Random(skip ? 3 : 4);
        for (int round = 0; round < 3000; round++)
        {
            int[] ids = new int[random.Next(1, 10)];
            for (int i = 0; i < ids.Length; i++)
            {
                ids[i] = random.Next(18);
            }

            StreamingDecoder streaming = tokenizer.CreateStreamingDecoder(skip);
            var sb = new StringBuilder();
            foreach (int id in ids)
            {
                sb.Append(streaming.Append(id));
            }

            sb.Append(streaming.Flush());
            Assert.True(tokenizer.Decode(ids, skip) == sb.ToString(), $"ids=[{string.Join(",", ids)}] expected \"{tokenizer.Decode(ids, skip)}\" actual \"{sb}\"");
        }
    }

    [Theory]
    [MemberData(nameof(Decoders))]
    public void Per_Token_Modes_Equal_Whole_Decode_On_Random_Ids(string decoder, bool cleanUp)
    {
        HuggingFaceTokenizer tokenizer = InlineTokenizer.Create(
            InlineTokenizer.Document(
                model: $$"""{"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##", "max_input_chars_per_word": 100, "vocab": {{Vocab}}}""",
                decoder: decoder,
                addedTokens: """[{"id": 1, "content": "[CLS]", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true}]"""),
            $$"""{"clean_up_tokenization_spaces": {{(cleanUp ? "true" : "false")}}}""");
        Assert.NotEqual(StreamingMode.Window, tokenizer.DetectStreamingMode());
        var random = new Random(99);
        for (int round = 0; round < 500; round++)
        {
            int[] ids = new int[random.Next(1, 12)];
            for (int i = 0; i < ids.Length; i++)
            {
                ids[i] = random.Next(17);
            }

            bool skip = round % 2 == 0;
            StreamingDecoder streaming = tokenizer.CreateStreamingDecoder(skip);
            var sb = new StringBuilder();
            foreach (int id in ids)
            {
                sb.Append(streaming.Append(id));
            }

            sb.Append(streaming.Flush());
            Assert.True(tokenizer.Decode(ids, skip) == sb.ToString(), $"skip={skip} ids=[{string.Join(",", ids)}] expected \"{tokenizer.Decode(ids, skip)}\" actual \"{sb}\"");
        }
    }
}
