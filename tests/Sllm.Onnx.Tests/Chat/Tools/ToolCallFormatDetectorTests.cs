using Sllm.ChatTemplates;
using Sllm.Testing;
using Sllm.Tokenization;

namespace Sllm.Onnx.Chat.Tools;

/// <summary>Format detection against the real templates and tokenizers of the shared conformance corpus.</summary>
public sealed class ToolCallFormatDetectorTests
{
    [SharedTheory]
    [InlineData("qwen2.5-instruct", ToolCallFormat.Hermes)]
    [InlineData("qwen3", ToolCallFormat.Hermes)]
    [InlineData("smollm3-3b", ToolCallFormat.Hermes)]
    [InlineData("hermes-3-llama-3.1-tool-use", ToolCallFormat.Hermes)]
    [InlineData("llama-3.1-instruct", ToolCallFormat.Llama3)]
    [InlineData("llama-3.2-instruct", ToolCallFormat.Llama3)]
    [InlineData("mistral-nemo-instruct-2407", ToolCallFormat.Mistral)]
    [InlineData("mistral-small-3.2-24b-instruct-2506", ToolCallFormat.Mistral)]
    [InlineData("phi-4-mini-instruct", ToolCallFormat.Phi4Mini)]
    [InlineData("granite-3.3-2b-instruct", ToolCallFormat.Phi4Mini)]
    [InlineData("phi-3.5-mini-instruct", ToolCallFormat.Json)]
    [InlineData("gemma-3-it", ToolCallFormat.Json)]
    [InlineData("tinyllama-1.1b-chat-v1.0", ToolCallFormat.Json)]
    [InlineData("command-r-plus-tool-use", ToolCallFormat.Json)]
    public async Task Detect_FromTemplate(string template, ToolCallFormat expected)
    {
        ChatTemplate loaded = await ChatTemplate.LoadAsync(SharedData.PathOf("conformance", "chat-templates", template + ".jinja"));
        Assert.Equal(expected, ToolCallFormatDetector.Detect(loaded.Source, []));
    }

    [SharedTheory]
    [InlineData("qwen2.5-0.5b-instruct", ToolCallFormat.Hermes, ToolCallFormat.Hermes)]
    [InlineData("llama-3.2-1b-instruct", ToolCallFormat.Llama3, ToolCallFormat.Llama3)]
    [InlineData("phi-3-mini-4k-instruct", ToolCallFormat.Json, ToolCallFormat.Json)]
    [InlineData("tinyllama-1.1b-chat-v1.0", ToolCallFormat.Json, ToolCallFormat.Json)]
    public async Task Detect_FromTokenizerFamily_TemplateAndAddedTokens(string family, ToolCallFormat withTemplate, ToolCallFormat tokensOnly)
    {
        string directory = SharedData.PathOf("conformance", "tokenizers", family);
        HuggingFaceTokenizer tokenizer = await HuggingFaceTokenizer.CreateAsync(directory);
        ChatTemplate template = await ChatTemplate.LoadAsync(directory);
        string[] added = [.. tokenizer.AddedTokens.Select(static t => t.Content)];

        Assert.Equal(withTemplate, ToolCallFormatDetector.Detect(template.Source, added));
        Assert.Equal(tokensOnly, ToolCallFormatDetector.Detect(null, added));
    }

    [Fact]
    public void Detect_FromAddedTokensAlone()
    {
        Assert.Equal(ToolCallFormat.Mistral, ToolCallFormatDetector.Detect(null, ["[INST]", "[TOOL_CALLS]"]));
        Assert.Equal(ToolCallFormat.Phi4Mini, ToolCallFormatDetector.Detect("", ["<|tool_call|>", "<|/tool_call|>"]));
        Assert.Equal(ToolCallFormat.Json, ToolCallFormatDetector.Detect("{{ messages }}", ["<|im_start|>"]));
    }

    [SharedFact]
    public async Task MarkerTokens_ThatASkippingDecoderDrops_AreKeptAsText()
    {
        HuggingFaceTokenizer llama = await HuggingFaceTokenizer.CreateAsync(SharedData.PathOf("conformance", "tokenizers", "llama-3.2-1b-instruct"));
        var support = new ToolCallSupport(ToolCallSyntax.For(ToolCallFormat.Llama3), llama);
        int pythonTag = llama.TokenToId("<|python_tag|>")!.Value;
        Assert.Equal("<|python_tag|>", support.MarkerText(pythonTag));
        Assert.Null(support.MarkerText(llama.TokenToId("<|eot_id|>")!.Value));

        // Qwen's <tool_call> is an added token that is not special: the decoder keeps it, so nothing needs mapping.
        HuggingFaceTokenizer qwen = await HuggingFaceTokenizer.CreateAsync(SharedData.PathOf("conformance", "tokenizers", "qwen2.5-0.5b-instruct"));
        var hermes = new ToolCallSupport(ToolCallSyntax.For(ToolCallFormat.Hermes), qwen);
        int open = qwen.TokenToId("<tool_call>")!.Value;
        Assert.Null(hermes.MarkerText(open));
        Assert.Equal("<tool_call>", qwen.Decode([open], skipSpecialTokens: true));
    }
}
