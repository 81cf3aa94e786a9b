using System.Text.Json.Nodes;

namespace Sllm.ChatTemplates;

public sealed class ChatTemplateLoaderTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("sllm-templates-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public async Task LoadAsync_ConfigString_WithAddedTokenObjects()
    {
        await File.WriteAllTextAsync(Path.Combine(dir, "tokenizer_config.json"), """
            {"chat_template": "{{ bos_token }}{{ messages[0].content }}{{ eos_token }}{{ pad_token is defined }}",
             "bos_token": {"__type": "AddedToken", "content": "<s>", "lstrip": false}, "eos_token": "</s>", "pad_token": null,
             "additional_special_tokens": ["<x>"]}
            """);

        ChatTemplate template = await ChatTemplate.LoadAsync(dir);

        Assert.Equal("<s>hi</s>false", template.RenderJson(Hi(), null, null));
        Assert.Equal(2, template.SpecialTokens.Count);
    }

    [Fact]
    public async Task LoadAsync_NamedTemplates_PicksDefault_AndToolUseWhenToolsAreGiven()
    {
        await File.WriteAllTextAsync(Path.Combine(dir, "tokenizer_config.json"), """
            {"chat_template": [{"name": "default", "template": "default"}, {"name": "tool_use", "template": "tools:{{ tools | length }}"}, {"name": "rag", "template": "rag"}]}
            """);

        ChatTemplate template = await ChatTemplate.LoadAsync(dir);
        Assert.Equal("default", template.RenderJson(Hi(), null, null));
        Assert.Equal("tools:1", template.RenderJson(Hi(), [new JsonObject { ["type"] = "function" }], null));
        Assert.Equal("default", template.RenderJson(Hi(), [], null));
        Assert.Equal("rag", (await ChatTemplate.LoadAsync(dir, "rag")).RenderJson(Hi(), null, null));
        ChatTemplateException e = await Assert.ThrowsAsync<ChatTemplateException>(() => ChatTemplate.LoadAsync(dir, "nope"));
        Assert.Equal(SllmErrorKind.InvalidTemplate, e.Kind);
    }

    [Fact]
    public async Task LoadAsync_ChatTemplateJinja_TakesPrecedence_WithConfigTokens()
    {
        await File.WriteAllTextAsync(Path.Combine(dir, "tokenizer_config.json"), """{"chat_template": "config", "eos_token": "<e>"}""");
        await File.WriteAllTextAsync(Path.Combine(dir, "chat_template.jinja"), "file{{ eos_token }}\n");

        Assert.Equal("file<e>", (await ChatTemplate.LoadAsync(dir)).RenderJson(Hi(), null, null));
    }

    [Fact]
    public async Task LoadAsync_StandaloneJinja_ReadsSidecarTokens()
    {
        string path = Path.Combine(dir, "model.jinja");
        await File.WriteAllTextAsync(path, "{{ bos_token }}|{{ custom_token }}|{{ eos_token is defined }}");
        await File.WriteAllTextAsync(Path.Combine(dir, "model.json"), """{"model": "x", "bos_token": "<b>", "custom_token": "<c>", "eos_token": 5}""");

        ChatTemplate template = await ChatTemplate.LoadAsync(path);

        Assert.Equal("model", template.Name);
        Assert.Equal("<b>|<c>|false", template.RenderJson(Hi(), null, null));
    }

    [Fact]
    public async Task LoadAsync_MissingOrMalformed_Fails()
    {
        ChatTemplateException missing = await Assert.ThrowsAsync<ChatTemplateException>(() => ChatTemplate.LoadAsync(Path.Combine(dir, "absent.jinja")));
        Assert.Equal(SllmErrorKind.InvalidTemplate, missing.Kind);
        Assert.NotNull(missing.Path);

        await File.WriteAllTextAsync(Path.Combine(dir, "tokenizer_config.json"), "{\n  \"chat_template\": ");
        ChatTemplateException malformed = await Assert.ThrowsAsync<ChatTemplateException>(() => ChatTemplate.LoadAsync(dir));
        Assert.Equal(2, malformed.Line);

        await File.WriteAllTextAsync(Path.Combine(dir, "tokenizer_config.json"), """{"eos_token": "x"}""");
        await Assert.ThrowsAsync<ChatTemplateException>(() => ChatTemplate.LoadAsync(dir));
    }

    [Fact]
    public async Task Render_IsSafeConcurrently()
    {
        ChatTemplate template = ChatTemplate.Parse("{% set ns = namespace(n=0) %}{% for m in messages %}{% set ns.n = ns.n + 1 %}{{ m.content }}{% endfor %}{{ ns.n }}");
        string[] results = await Task.WhenAll(Enumerable.Range(0, 32).Select(i => Task.Run(() =>
            template.RenderJson([new JsonObject { ["role"] = "user", ["content"] = "m" + i }], null, null))));
        for (int i = 0; i < results.Length; i++)
        {
            Assert.Equal("m" + i + "1", results[i]);
        }
    }

    private static JsonArray Hi() => [new JsonObject { ["role"] = "user", ["content"] = "hi" }];
}
