using System.Text.Json.Nodes;
using Sllm.Testing;

namespace Sllm.Cli.Commands;

public sealed class TemplateCommandTests
{
    [SharedFact]
    public async Task Template_StandaloneJinja_MatchesExpectedFile()
    {
        string dir = SharedData.PathOf("conformance");
        var output = new StringWriter();
        var error = new StringWriter();
        int rc = await SllmCommandLine.InvokeAsync(
            ["template", Path.Combine(dir, "chat-templates", "llama-3.1-instruct.jinja"), "--cases", Path.Combine(dir, "cases", "template-cases.json"), "--now", "2024-07-26T00:00:00"],
            output,
            error);

        Assert.True(rc == 0, error.ToString());
        JsonNode actual = JsonNode.Parse(output.ToString())!;
        JsonNode expected = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(dir, "expected", "llama-3.1-instruct.template.json")))!;
        Assert.True(JsonNode.DeepEquals(expected["special_tokens"], actual["special_tokens"]));
        Assert.Equal((string?)expected["fixed_strftime_now_date"], (string?)actual["fixed_strftime_now_date"]);
        JsonArray want = expected["results"]!.AsArray();
        JsonArray got = actual["results"]!.AsArray();
        Assert.Equal(want.Count, got.Count);
        for (int i = 0; i < want.Count; i++)
        {
            Assert.Equal((string?)want[i]!["id"], (string?)got[i]!["id"]);
            Assert.Equal((bool?)want[i]!["add_generation_prompt"], (bool?)got[i]!["add_generation_prompt"]);
            Assert.Equal((string?)want[i]!["rendered"], (string?)got[i]!["rendered"]);
            Assert.Equal(want[i]!["error"] is null, got[i]!["error"] is null);
        }
    }

    [SharedFact]
    public async Task Template_TokenizerFolder_WritesRenderedAndIdsLikeReference()
    {
        string dir = SharedData.PathOf("conformance");
        var output = new StringWriter();
        var error = new StringWriter();
        int rc = await SllmCommandLine.InvokeAsync(
            ["template", Path.Combine(dir, "tokenizers", "qwen2.5-0.5b-instruct"), "--cases", Path.Combine(dir, "cases", "template-cases.json"), "--now", "2024-07-26T00:00:00"],
            output,
            error);

        Assert.True(rc == 0, error.ToString());
        JsonArray got = JsonNode.Parse(output.ToString())!["results"]!.AsArray();
        JsonArray want = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(dir, "expected", "qwen2.5-0.5b-instruct.template.json")))!["results"]!.AsArray();
        Assert.Equal(want.Count, got.Count);
        for (int i = 0; i < want.Count; i++)
        {
            Assert.Equal((string?)want[i]!["rendered"], (string?)got[i]!["rendered"]);
            Assert.True(JsonNode.DeepEquals(want[i]!["ids"], got[i]!["ids"]), $"ids differ for {(string?)want[i]!["id"]}");
        }
    }

    [SharedFact]
    public async Task Template_ErrorCases_WriteErrorField()
    {
        string dir = SharedData.PathOf("conformance");
        var output = new StringWriter();
        int rc = await SllmCommandLine.InvokeAsync(
            ["template", Path.Combine(dir, "chat-templates", "gemma-2-it.jinja"), "--cases", Path.Combine(dir, "cases", "template-cases.json")],
            output,
            new StringWriter());

        Assert.Equal(0, rc);
        JsonArray results = JsonNode.Parse(output.ToString())!["results"]!.AsArray();
        JsonNode systemUser = results.First(r => (string?)r!["id"] == "system_user")!;
        Assert.Equal("System role not supported", (string?)systemUser["error"]);
        Assert.Null(systemUser["rendered"]);
    }

    [Fact]
    public async Task Template_MissingTemplate_FailsWithOneLine()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        string cases = Path.Combine(Path.GetTempPath(), "sllm-cases-" + Guid.NewGuid().ToString("N") + ".json");
        await File.WriteAllTextAsync(cases, """{"kind": "template", "cases": []}""");
        try
        {
            int rc = await SllmCommandLine.InvokeAsync(["template", "/definitely/not/here.jinja", "--cases", cases], output, error);

            Assert.NotEqual(0, rc);
            Assert.Equal(string.Empty, output.ToString());
            string message = error.ToString().TrimEnd();
            Assert.DoesNotContain('\n', message);
            Assert.Contains("/definitely/not/here.jinja", message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(cases);
        }
    }

    [Fact]
    public async Task Template_UnknownOption_FailsWithOneLine()
    {
        var error = new StringWriter();
        int rc = await SllmCommandLine.InvokeAsync(["template", "x.jinja", "--cases", "c.json", "--bogus"], new StringWriter(), error);

        Assert.NotEqual(0, rc);
        Assert.Single(error.ToString().TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task Template_UnreadableCases_FailsWithOneLine()
    {
        string template = Path.Combine(Path.GetTempPath(), "sllm-t-" + Guid.NewGuid().ToString("N") + ".jinja");
        await File.WriteAllTextAsync(template, "{{ messages[0].content }}");
        try
        {
            var error = new StringWriter();
            int rc = await SllmCommandLine.InvokeAsync(["template", template, "--cases", "/no/such/cases.json"], new StringWriter(), error);

            Assert.Equal(1, rc);
            Assert.Contains("/no/such/cases.json", error.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(template);
        }
    }

    [Theory]
    [InlineData("{ \"kind\": \"template\", \"cases\": [", "malformed JSON at line 1")]
    [InlineData("[1, 2]", "is not a template cases file")]
    [InlineData("{\"kind\": 1, \"cases\": []}", "is not a template cases file")]
    [InlineData("{\"kind\": \"template\", \"cases\": [{\"id\": \"a\", \"messages\": [], \"add_generation_prompt\": \"yes\"}]}", "add_generation_prompt")]
    public async Task Template_BadCasesFile_FailsWithOneLineNamingTheFile(string json, string expected)
    {
        using var files = new TempFiles();
        string template = files.Write("t.jinja", "{{ messages|length }}");
        string cases = files.Write("cases.json", json);
        var output = new StringWriter();
        var error = new StringWriter();

        int rc = await SllmCommandLine.InvokeAsync(["template", template, "--cases", cases], output, error);

        Assert.Equal(1, rc);
        Assert.Equal(string.Empty, output.ToString());
        string message = error.ToString().TrimEnd();
        Assert.DoesNotContain('\n', message);
        Assert.StartsWith("sllm template: " + cases, message, StringComparison.Ordinal);
        Assert.Contains(expected, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Template_MissingCasesOption_FailsWithOneLineAndUsageExitCode()
    {
        var error = new StringWriter();
        int rc = await SllmCommandLine.InvokeAsync(["template", "t.jinja"], new StringWriter(), error);

        Assert.Equal(2, rc);
        string message = error.ToString().TrimEnd();
        Assert.DoesNotContain('\n', message);
        Assert.Contains("--cases", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("missing-dir/out.json")]
    [InlineData(".")]
    public async Task Template_UnwritableOut_FailsWithOneLine(string outPath)
    {
        using var files = new TempFiles();
        string template = files.Write("t.jinja", "{{ messages|length }}");
        string cases = files.Write("cases.json", """{"kind": "template", "cases": [{"id": "a", "messages": []}]}""");
        string target = outPath.Length == 0 ? string.Empty : Path.Combine(files.Directory, outPath);
        var error = new StringWriter();

        int rc = await SllmCommandLine.InvokeAsync(["template", template, "--cases", cases, "--out", target], new StringWriter(), error);

        Assert.Equal(1, rc);
        string message = error.ToString().TrimEnd();
        Assert.DoesNotContain('\n', message);
        Assert.StartsWith("sllm template: ", message, StringComparison.Ordinal);
    }

    /// <summary>A temporary folder, deleted on dispose.</summary>
    private sealed class TempFiles : IDisposable
    {
        public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("sllm-cli-").FullName;

        public string Write(string name, string content)
        {
            string path = Path.Combine(Directory, name);
            File.WriteAllText(path, content);
            return path;
        }

        public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
    }
}
