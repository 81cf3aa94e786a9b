using System.Text.Json;
using Sllm.Testing;

namespace Sllm.Cli.Tests.Commands;

public sealed class TokenizeCommandTests
{
    [SharedFact]
    public async Task Tokenize_Writes_The_Expected_Results()
    {
        string family = "qwen2.5-0.5b-instruct";
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = await SllmCommandLine.InvokeAsync(
            ["tokenize", SharedData.PathOf("conformance", "tokenizers", family), "--cases", SharedData.PathOf("conformance", "cases", "tokenizer-cases.json")],
            output, error);

        Assert.True(code == 0, error.ToString());
        using JsonDocument actual = JsonDocument.Parse(output.ToString());
        using JsonDocument expected = JsonDocument.Parse(File.ReadAllBytes(SharedData.PathOf("conformance", "expected", family + ".tokens.json")));
        Assert.Equal(family, actual.RootElement.GetProperty("target").GetString());
        Assert.Equal("tokenizer", actual.RootElement.GetProperty("kind").GetString());
        JsonElement[] a = [.. actual.RootElement.GetProperty("results").EnumerateArray()];
        JsonElement[] e = [.. expected.RootElement.GetProperty("results").EnumerateArray()];
        Assert.Equal(e.Length, a.Length);
        for (int i = 0; i < e.Length; i++)
        {
            foreach (string key in new[] { "id", "text", "add_special_tokens", "ids", "tokens", "decoded", "decoded_skip_special" })
            {
                Assert.True(JsonElement.DeepEquals(e[i].GetProperty(key), a[i].GetProperty(key)), $"case {e[i].GetProperty("id")} key {key}");
            }
        }
    }

    [SharedFact]
    public async Task Tokenize_Writes_To_Out_File()
    {
        string family = "tinyllama-1.1b-chat-v1.0";
        string path = Path.Combine(Path.GetTempPath(), $"sllm-tokenize-{Guid.NewGuid():N}.json");
        try
        {
            using var output = new StringWriter();
            using var error = new StringWriter();
            int code = await SllmCommandLine.InvokeAsync(
                ["tokenize", SharedData.PathOf("conformance", "tokenizers", family), "--cases", SharedData.PathOf("conformance", "cases", "tokenizer-cases.json"), "--out", path],
                output, error);
            Assert.True(code == 0, error.ToString());
            Assert.Equal(string.Empty, output.ToString());
            using JsonDocument actual = JsonDocument.Parse(File.ReadAllBytes(path));
            Assert.Equal(44, actual.RootElement.GetProperty("results").GetArrayLength());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [SharedFact]
    public async Task Tokenize_Empty_Out_Path_Is_One_Line_Error()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = await SllmCommandLine.InvokeAsync(
            ["tokenize", SharedData.PathOf("conformance", "tokenizers", "tinyllama-1.1b-chat-v1.0"), "--cases", SharedData.PathOf("conformance", "cases", "tokenizer-cases.json"), "--out", ""],
            output, error);

        Assert.Equal(1, code);
        string message = error.ToString().TrimEnd();
        Assert.DoesNotContain('\n', message);
        Assert.StartsWith("sllm tokenize: ", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tokenize_Bad_Path_Is_One_Line_Error()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        string cases = Path.Combine(Path.GetTempPath(), $"sllm-cases-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(cases, "{\"cases\": []}");
        try
        {
            int code = await SllmCommandLine.InvokeAsync(["tokenize", "/no/such/folder", "--cases", cases], output, error);
            Assert.NotEqual(0, code);
            string message = error.ToString().TrimEnd();
            Assert.DoesNotContain('\n', message);
            Assert.Contains("tokenizer.json", message);
        }
        finally
        {
            File.Delete(cases);
        }
    }

    [Fact]
    public async Task Tokenize_Unknown_Option_Fails()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = await SllmCommandLine.InvokeAsync(["tokenize", "x", "--cases", "y", "--bogus"], output, error);
        Assert.NotEqual(0, code);
        Assert.Single(error.ToString().TrimEnd().Split('\n'));
    }
}
