using Sllm.Testing;
using Sllm.Tokenization;

namespace Sllm.Tests.Tokenization;

public sealed class LoadErrorTests
{
    private const string Model = """{"type": "BPE", "vocab": {"a": 0, "b": 1, "ab": 2}, "merges": ["a b"]}""";

    private static TokenizerLoadException Fails(string tokenizerJson, string? config = null) =>
        Assert.Throws<TokenizerLoadException>(() => InlineTokenizer.Create(tokenizerJson, config));

    [Fact]
    public void Unknown_Pre_Tokenizer_Names_File_And_Json_Path()
    {
        TokenizerLoadException ex = Fails(InlineTokenizer.Document(Model,
            preTokenizer: """{"type": "Sequence", "pretokenizers": [{"type": "Digits", "individual_digits": true}, {"type": "Foo"}]}"""));
        Assert.Equal("tokenizer.json: $.pre_tokenizer.pretokenizers[1].type: unsupported pre-tokenizer 'Foo'", ex.Message);
        Assert.Equal(SllmErrorKind.InvalidTokenizer, ex.Kind);
        Assert.Equal("$.pre_tokenizer.pretokenizers[1].type", ex.JsonPath);
    }

    [Theory]
    [InlineData("""{"type": "Foo"}""", "null", "null", "null", "$.normalizer.type: unsupported normalizer 'Foo'")]
    [InlineData("null", "null", """{"type": "Foo"}""", "null", "$.post_processor.type: unsupported post-processor 'Foo'")]
    [InlineData("null", "null", "null", """{"type": "Sequence", "decoders": [{"type": "Foo"}]}""", "$.decoder.decoders[0].type: unsupported decoder 'Foo'")]
    [InlineData("null", """{"type": "Split", "pattern": {"Regex": "(unclosed"}, "behavior": "Isolated", "invert": false}""", "null", "null", "$.pre_tokenizer.pattern.Regex: unsupported or invalid regex")]
    [InlineData("null", """{"type": "Split", "pattern": {"Regex": "x"}, "behavior": "Sideways", "invert": false}""", "null", "null", "$.pre_tokenizer.behavior: unsupported split behavior 'Sideways'")]
    [InlineData("""{"type": "Prepend"}""", "null", "null", "null", "$.normalizer: missing required property 'prepend'")]
    [InlineData("""{"type": "Prepend", "prepend": 3}""", "null", "null", "null", "$.normalizer.prepend: expected a string, found a number")]
    public void Bad_Components_Are_Reported_With_Their_Path(string normalizer, string preTokenizer, string post, string decoder, string expected)
    {
        TokenizerLoadException ex = Fails(InlineTokenizer.Document(Model, normalizer, preTokenizer, post, decoder));
        Assert.StartsWith("tokenizer.json: " + expected, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"type": "Foo", "vocab": {}}""", "$.model.type: unsupported model 'Foo'")]
    [InlineData("""{"type": "BPE", "vocab": {"a": "x"}, "merges": []}""", "$.model.vocab[\"a\"]: expected a non-negative integer id")]
    [InlineData("""{"type": "BPE", "vocab": {"a": 0}, "merges": ["a b"]}""", "$.model.merges[0]: merge ('a', 'b') uses a token that is not in the vocabulary")]
    [InlineData("""{"type": "BPE", "vocab": {"a": 0}, "merges": ["a"]}""", "$.model.merges[0]: merge 'a' is not two tokens separated by one space")]
    [InlineData("""{"type": "BPE", "vocab": {"a": 0}, "merges": [], "dropout": 0.1}""", "$.model.dropout: BPE dropout is not supported")]
    [InlineData("""{"type": "BPE", "vocab": {"a": 0}, "merges": [], "unk_token": "<unk>"}""", "$.model.unk_token: unk token '<unk>' is not in the vocabulary")]
    [InlineData("""{"type": "Unigram", "vocab": [["a", "x"]], "unk_id": 0}""", "$.model.vocab[0]: expected a [piece, score] pair")]
    [InlineData("""{"type": "Unigram", "vocab": [["a", -1.0]], "unk_id": 5}""", "$.model.unk_id: unk_id 5 is outside the vocabulary")]
    public void Bad_Models_Are_Reported_With_Their_Path(string model, string expected)
    {
        TokenizerLoadException ex = Fails(InlineTokenizer.Document(model));
        Assert.StartsWith("tokenizer.json: " + expected, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0}, \"merges\": [")]
    [InlineData("[1, 2]")]
    [InlineData("{\"version\": \"1.0\"}")]
    public void Malformed_Or_Incomplete_Json_Is_A_Clear_Error(string json)
    {
        TokenizerLoadException ex = Fails(json);
        Assert.StartsWith("tokenizer.json: ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_Config_Names_The_Config_File()
    {
        TokenizerLoadException ex = Fails(InlineTokenizer.Document(Model), "{\"clean_up_tokenization_spaces\": \"yes\"}");
        Assert.Equal("tokenizer_config.json: $.clean_up_tokenization_spaces: expected true or false, found a string", ex.Message);
        ex = Fails(InlineTokenizer.Document(Model), "{\"bos_token\": ");
        Assert.StartsWith("tokenizer_config.json: ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_Folder_And_File_Are_Clear_Errors()
    {
        TokenizerLoadException ex = Assert.Throws<TokenizerLoadException>(() => HuggingFaceTokenizer.Create("/no/such/folder"));
        Assert.Contains("tokenizer.json", ex.Message, StringComparison.Ordinal);
        Assert.Equal(Path.Combine("/no/such/folder", "tokenizer.json"), ex.Path);
        string empty = Directory.CreateTempSubdirectory("sllm-tok").FullName;
        try
        {
            Assert.Throws<TokenizerLoadException>(() => HuggingFaceTokenizer.Create(empty));
            await Assert.ThrowsAsync<TokenizerLoadException>(() => HuggingFaceTokenizer.CreateAsync(empty));
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }

    [SharedFact]
    public void Truncated_Real_File_Fails_Fast_Without_Hanging()
    {
        byte[] bytes = File.ReadAllBytes(Path.Combine(ConformanceCorpus.DirectoryOf("llama-3.2-1b-instruct"), "tokenizer.json"));
        foreach (int length in new[] { 10, bytes.Length / 3, bytes.Length - 2 })
        {
            using var stream = new MemoryStream(bytes, 0, length);
            TokenizerLoadException ex = Assert.Throws<TokenizerLoadException>(() => HuggingFaceTokenizer.Create(stream, null, null, null));
            Assert.Contains("malformed JSON", ex.Message, StringComparison.Ordinal);
        }
    }

    [SharedFact]
    public void Real_Files_Load_Quickly()
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        HuggingFaceTokenizer llama = HuggingFaceTokenizer.Create(ConformanceCorpus.DirectoryOf("llama-3.2-1b-instruct"));
        watch.Stop();
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"loading took {watch.Elapsed}");
        Assert.Equal(128256, llama.VocabularySize);
    }
}
