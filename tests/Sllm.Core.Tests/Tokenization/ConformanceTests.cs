using System.Text;
using System.Text.Json;
using Sllm.Testing;
using Sllm.Tokenization;

namespace Sllm.Tests.Tokenization;

/// <summary>Every case of the shared corpus against every tokenizer family: ids, tokens and both decodes must be equal.</summary>
public sealed class ConformanceTests
{
    public static IEnumerable<object[]> Families() => ConformanceCorpus.Families();

    [SharedTheory]
    [MemberData(nameof(Families))]
    public void Encode_And_Decode_Match_Reference(string family)
    {
        HuggingFaceTokenizer tokenizer = ConformanceCorpus.Load(family);
        var failures = new StringBuilder();
        int total = 0, equal = 0;
        foreach (ConformanceCorpus.ExpectedResult expected in ConformanceCorpus.Expected(family))
        {
            total++;
            var tokens = tokenizer.EncodeToTokens(expected.Text, expected.AddSpecialTokens);
            int[] ids = [.. tokens.Select(t => t.Id)];
            string[] texts = [.. tokens.Select(t => t.Value)];
            string decoded = tokenizer.Decode(expected.Ids, skipSpecialTokens: false);
            string decodedSkip = tokenizer.Decode(expected.Ids, skipSpecialTokens: true);
            int[] idsOnly = [.. tokenizer.EncodeToIds(expected.Text, expected.AddSpecialTokens)];
            var problems = new List<string>();
            if (!ids.SequenceEqual(expected.Ids) || !idsOnly.SequenceEqual(expected.Ids))
            {
                problems.Add($"ids\n    expected {Json(expected.Ids)}\n    actual   {Json(ids)}");
            }

            if (!texts.SequenceEqual(expected.Tokens))
            {
                problems.Add($"tokens\n    expected {Json(expected.Tokens)}\n    actual   {Json(texts)}");
            }

            if (decoded != expected.Decoded)
            {
                problems.Add($"decoded\n    expected {Json(expected.Decoded)}\n    actual   {Json(decoded)}");
            }

            if (decodedSkip != expected.DecodedSkipSpecial)
            {
                problems.Add($"decoded_skip_special\n    expected {Json(expected.DecodedSkipSpecial)}\n    actual   {Json(decodedSkip)}");
            }

            if (problems.Count == 0)
            {
                equal++;
            }
            else
            {
                failures.Append("case '").Append(expected.Id).Append("' text ").Append(Json(expected.Text)).AppendLine(":");
                foreach (string p in problems)
                {
                    failures.Append("  ").AppendLine(p);
                }
            }
        }

        Assert.True(failures.Length == 0, $"{family}: {equal}/{total} cases equal\n{failures}");
    }

    [SharedTheory]
    [MemberData(nameof(Families))]
    public void StreamingDecoder_Equals_Whole_Decode(string family)
    {
        HuggingFaceTokenizer tokenizer = ConformanceCorpus.Load(family);
        var failures = new StringBuilder();
        foreach (ConformanceCorpus.ExpectedResult expected in ConformanceCorpus.Expected(family))
        {
            foreach (bool skip in new[] { false, true })
            {
                StreamingDecoder decoder = tokenizer.CreateStreamingDecoder(skip);
                var sb = new StringBuilder();
                foreach (int id in expected.Ids)
                {
                    string piece = decoder.Append(id);
                    Assert.False(piece.Length > 0 && char.IsHighSurrogate(piece[^1]), "a piece ends inside a surrogate pair");
                    sb.Append(piece);
                }

                sb.Append(decoder.Flush());
                string whole = tokenizer.Decode(expected.Ids, skip);
                if (sb.ToString() != whole)
                {
                    failures.AppendLine($"case '{expected.Id}' skip={skip}: expected {Json(whole)} actual {Json(sb.ToString())}");
                }
            }
        }

        Assert.True(failures.Length == 0, failures.ToString());
    }

    [SharedTheory]
    [MemberData(nameof(Families))]
    public void Fast_Decode_Equals_Decoder_Chain_On_Random_Ids(string family)
    {
        HuggingFaceTokenizer tokenizer = ConformanceCorpus.Load(family);
        var random = new Random(77);
        for (int round = 0; round < 300; round++)
        {
            int[] ids = new int[random.Next(0, 40)];
            for (int i = 0; i < ids.Length; i++)
            {
                // Low ids hold the bytes and specials; a few ids past the vocabulary test the unknown path.
                ids[i] = random.Next(4) switch
                {
                    0 => random.Next(Math.Min(600, tokenizer.VocabularySize)),
                    1 => tokenizer.VocabularySize + random.Next(3),
                    _ => random.Next(tokenizer.VocabularySize),
                };
            }

            bool skip = round % 2 == 0;
            Assert.Equal(tokenizer.DecodeWithDecoderChain(ids, skip), tokenizer.Decode(ids, skip));
        }
    }

    [SharedTheory]
    [MemberData(nameof(Families))]
    public void StreamingDecoder_Equals_Whole_Decode_On_Random_Ids(string family)
    {
        HuggingFaceTokenizer tokenizer = ConformanceCorpus.Load(family);
        var random = new Random(1234);
        for (int round = 0; round < 200; round++)
        {
            int[] ids = new int[random.Next(1, 60)];
            for (int i = 0; i < ids.Length; i++)
            {
                // Mix arbitrary ids with low ids (bytes, specials) where the tricky decoding lives.
                ids[i] = random.Next(3) == 0 ? random.Next(Math.Min(600, tokenizer.VocabularySize)) : random.Next(tokenizer.VocabularySize);
            }

            bool skip = round % 2 == 0;
            StreamingDecoder decoder = tokenizer.CreateStreamingDecoder(skip);
            var sb = new StringBuilder();
            foreach (int id in ids)
            {
                sb.Append(decoder.Append(id));
            }

            sb.Append(decoder.Flush());
            Assert.True(tokenizer.Decode(ids, skip) == sb.ToString(), $"{family} round {round} ids {Json(ids)}: expected {Json(tokenizer.Decode(ids, skip))} actual {Json(sb.ToString())}");
        }
    }

    [SharedTheory]
    [MemberData(nameof(Families))]
    public void StreamingDecoder_Equals_Whole_Decode_Around_Cleanup_Patterns(string family)
    {
        HuggingFaceTokenizer tokenizer = ConformanceCorpus.Load(family);
        string[] fragments = [" ", ".", "'", "n't", "'s", "'m", " '", "?", "!", ",", "a", "don", "ve", "re", "\n", "é", "🤗", "<|im_end|>", "<s>"];
        var random = new Random(42);
        for (int round = 0; round < 300; round++)
        {
            var text = new StringBuilder();
            for (int i = random.Next(1, 14); i > 0; i--)
            {
                text.Append(fragments[random.Next(fragments.Length)]);
            }

            foreach (bool skip in new[] { false, true })
            {
                IReadOnlyList<int> ids = tokenizer.EncodeToIds(text.ToString(), addSpecialTokens: round % 2 == 0);
                StreamingDecoder decoder = tokenizer.CreateStreamingDecoder(skip);
                var sb = new StringBuilder();
                foreach (int id in ids)
                {
                    sb.Append(decoder.Append(id));
                }

                sb.Append(decoder.Flush());
                string whole = tokenizer.Decode(ids, skip);
                Assert.True(whole == sb.ToString(), $"{family} text {Json(text.ToString())} skip={skip}: expected {Json(whole)} actual {Json(sb.ToString())}");
            }
        }
    }

    [SharedFact]
    public void Special_Tokens_Are_Exposed()
    {
        HuggingFaceTokenizer llama = ConformanceCorpus.Load("llama-3.2-1b-instruct");
        Assert.Equal("<|begin_of_text|>", llama.BosToken);
        Assert.Equal(128000, llama.BosTokenId);
        Assert.Equal("<|eot_id|>", llama.EosToken);
        Assert.Equal(128009, llama.EosTokenId);
        Assert.Equal(128256, llama.VocabularySize);
        Assert.True(llama.CleanUpTokenizationSpaces);
        Assert.Equal(256, llama.AddedTokens.Count);
        Assert.Contains(128009, llama.SpecialTokenIds);

        HuggingFaceTokenizer tiny = ConformanceCorpus.Load("tinyllama-1.1b-chat-v1.0");
        Assert.Equal(2, tiny.EosTokenId);
        Assert.Equal("<unk>", tiny.UnkToken);
        Assert.Equal(0, tiny.UnkTokenId);
        Assert.Equal("</s>", tiny.PadToken);
        Assert.False(tiny.CleanUpTokenizationSpaces);
        Assert.Equal("▁Hello", tiny.IdToToken(15043));
        Assert.Equal(15043, tiny.TokenToId("▁Hello"));
        Assert.Null(tiny.TokenToId("no such token"));
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    internal static string Json<T>(T value) => JsonSerializer.Serialize(value, JsonOptions);
}
