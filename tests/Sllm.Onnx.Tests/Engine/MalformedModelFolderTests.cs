using System.Text.Json.Nodes;
using Xunit;

namespace Sllm.Onnx.Engine;

/// <summary>Every way a model folder can be broken gives an SllmException naming the file and the field.</summary>
public sealed class MalformedModelFolderTests
{
    [Fact]
    public async Task Missing_folder()
    {
        string path = Path.Combine(Path.GetTempPath(), "sllm-missing-" + Guid.NewGuid().ToString("N"));
        var ex = await Assert.ThrowsAsync<ModelLoadException>(() => OnnxModel.CreateAsync(path));
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_genai_config()
    {
        string dir = await TestModels.CopyAsync();
        File.Delete(Path.Combine(dir, "genai_config.json"));
        var ex = await Assert.ThrowsAsync<ModelLoadException>(() => OnnxModel.CreateAsync(dir));
        Assert.Contains("genai_config.json", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_onnx_file_names_the_filename_field()
    {
        string dir = await TestModels.CopyAsync();
        File.Delete(Path.Combine(dir, "model.onnx"));
        var ex = await Assert.ThrowsAsync<ModelLoadException>(() => OnnxModel.CreateAsync(dir));
        Assert.Equal("model.decoder.filename", ex.JsonPath);
        Assert.Contains("model.onnx", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_external_data_names_the_onnx_file()
    {
        string dir = await TestModels.CopyAsync();
        File.Delete(Path.Combine(dir, "model.onnx.data"));
        var ex = await Assert.ThrowsAsync<ModelLoadException>(() => OnnxModel.CreateAsync(dir));
        Assert.Contains("model.onnx", ex.Message, StringComparison.Ordinal);
        Assert.EndsWith("model.onnx", ex.Path, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Corrupt_onnx_file_names_it()
    {
        string dir = await TestModels.CopyAsync();
        await File.WriteAllBytesAsync(Path.Combine(dir, "model.onnx"), [0x08, 0xff, 0xff, 0x12, 0x34, 0x00, 0x01]);
        var ex = await Assert.ThrowsAsync<ModelLoadException>(() => OnnxModel.CreateAsync(dir));
        Assert.EndsWith("model.onnx", ex.Path, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_json_names_the_config_and_position()
    {
        string dir = await TestModels.CopyAsync();
        await File.WriteAllTextAsync(Path.Combine(dir, "genai_config.json"), "{ \"model\": { \"type\": \"llama\", ");
        var ex = await Assert.ThrowsAsync<ModelLoadException>(() => OnnxModel.CreateAsync(dir));
        Assert.Contains("genai_config.json", ex.Message, StringComparison.Ordinal);
        Assert.Contains("line", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("model.context_length", "\"many\"")]
    [InlineData("model.decoder.num_hidden_layers", "2.5")]
    [InlineData("model.eos_token_id", "\"eos\"")]
    [InlineData("model.decoder.filename", "42")]
    [InlineData("search.past_present_share_buffer", "\"yes\"")]
    public async Task Wrong_field_type_names_the_field(string field, string json)
    {
        string dir = await EditConfigAsync(field, JsonNode.Parse(json));
        var ex = await Assert.ThrowsAsync<ModelLoadException>(() => OnnxModel.CreateAsync(dir));
        Assert.Contains(field.Split('.')[^1], ex.JsonPath ?? ex.Message, StringComparison.Ordinal);
        Assert.Contains("genai_config.json", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("model.decoder.inputs.past_key_names", "\"past.%d.k\"")]
    [InlineData("model.decoder.outputs.present_value_names", "\"present_values.%d\"")]
    [InlineData("model.decoder.inputs.input_ids", "\"tokens\"")]
    [InlineData("model.decoder.outputs.logits", "\"scores\"")]
    [InlineData("model.decoder.num_key_value_heads", "3")]
    [InlineData("model.decoder.head_size", "32")]
    [InlineData("model.vocab_size", "999")]
    [InlineData("model.decoder.num_hidden_layers", "3")]
    public async Task Graph_that_disagrees_with_the_config_names_the_field(string field, string json)
    {
        string dir = await EditConfigAsync(field, JsonNode.Parse(json));
        var ex = await Assert.ThrowsAsync<ModelLoadException>(() => OnnxModel.CreateAsync(dir));
        Assert.Equal(field, ex.JsonPath);
        Assert.Contains("genai_config.json", ex.Message, StringComparison.Ordinal);
        Assert.Contains("model.onnx", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_tokenizer_names_the_file()
    {
        string dir = await TestModels.CopyAsync();
        File.Delete(Path.Combine(dir, "tokenizer.json"));
        var ex = await Assert.ThrowsAsync<ModelLoadException>(() => OnnxModel.CreateAsync(dir));
        Assert.Contains("tokenizer.json", ex.Message, StringComparison.Ordinal);

        using OnnxModel model = await OnnxModel.CreateAsync(dir, new OnnxModelOptions { RequireTokenizer = false });
        Assert.Null(model.Tokenizer);
    }

    [Fact]
    public async Task Malformed_chat_template_is_a_template_error()
    {
        string dir = await TestModels.CopyAsync();
        string path = Path.Combine(dir, "tokenizer_config.json");
        JsonNode config = JsonNode.Parse(await File.ReadAllTextAsync(path))!;
        config["chat_template"] = "{% for m in messages %}{{ m.content }";
        await File.WriteAllTextAsync(path, config.ToJsonString());
        var ex = await Assert.ThrowsAsync<Sllm.ChatTemplates.ChatTemplateException>(() => OnnxModel.CreateAsync(dir));
        Assert.Equal(SllmErrorKind.InvalidTemplate, ex.Kind);
    }

    [Fact]
    public async Task Unknown_execution_provider_is_a_clear_error()
    {
        string dir = await TestModels.CopyAsync();
        var options = new OnnxModelOptions();
        options.ExecutionProviders.Add("cuda");
        var ex = await Assert.ThrowsAsync<ModelLoadException>(() => OnnxModel.CreateAsync(dir, options));
        Assert.Equal(SllmErrorKind.ExecutionProviderUnavailable, ex.Kind);
        Assert.Contains("Microsoft.ML.OnnxRuntime.Gpu", ex.Message, StringComparison.Ordinal);
    }

    private static async Task<string> EditConfigAsync(string field, JsonNode? value)
    {
        string dir = await TestModels.CopyAsync();
        string path = Path.Combine(dir, "genai_config.json");
        JsonNode root = JsonNode.Parse(await File.ReadAllTextAsync(path))!;
        string[] parts = field.Split('.');
        JsonNode node = root;
        for (int i = 0; i < parts.Length - 1; i++)
        {
            node = node[parts[i]] ??= new JsonObject();
        }

        node[parts[^1]] = value;
        await File.WriteAllTextAsync(path, root.ToJsonString());
        return dir;
    }
}
