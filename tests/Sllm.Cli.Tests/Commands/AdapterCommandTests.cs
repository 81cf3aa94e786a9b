using System.Text.Json;
using Sllm.Onnx.Lora;

namespace Sllm.Cli.Commands;

public sealed class AdapterCommandTests
{
    [Fact]
    public async Task BuildWithLoraInputsInspectAndGenerateWithAnAdapter()
    {
        string root = Path.Combine(Path.GetTempPath(), "sllm-cli-lora", Guid.NewGuid().ToString("N"));
        try
        {
            string model = Path.Combine(root, "model");
            (int exit, _, string error) = await RunAsync("build-model", model, "--lora-targets", "q_proj,v_proj");
            Assert.True(exit == 0, error);

            var random = new Random(3);
            float[] a = [.. Enumerable.Range(0, 64 * 4).Select(_ => (float)random.NextDouble() - 0.5f)];
            float[] b = [.. Enumerable.Range(0, 4 * 64).Select(_ => (float)random.NextDouble() - 0.5f)];
            string adapter = Path.Combine(root, "x.onnx_adapter");
            await new OnnxAdapterFile(
            [
                LoraParameter.FromSingles("model.layers.0.self_attn.q_proj.lora_A.weight", [64, 4], a),
                LoraParameter.FromSingles("model.layers.0.self_attn.q_proj.lora_B.weight", [4, 64], b),
            ]).WriteAsync(adapter);

            (exit, string listing, error) = await RunAsync("adapter", "inspect", adapter);
            Assert.True(exit == 0, error);
            Assert.Contains("model.layers.0.self_attn.q_proj.lora_B.weight [4, 64] Float32", listing, StringComparison.Ordinal);

            string[] generate = ["generate", model, "--input-ids", "5,6,7,8", "--max-new-tokens", "6", "--json"];
            (exit, string plain, error) = await RunAsync(generate);
            Assert.True(exit == 0, error);
            (exit, string adapted, error) = await RunAsync([.. generate, "--adapter", adapter]);
            Assert.True(exit == 0, error);
            Assert.NotEqual(Sequence(plain), Sequence(adapted));

            (exit, _, error) = await RunAsync("adapter", "convert", Path.Combine(root, "no-peft"), "--model", model, "--out", Path.Combine(root, "y.onnx_adapter"));
            Assert.Equal(1, exit);
            Assert.Contains("adapter_config.json", error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static string Sequence(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("sequences")[0].ToString();
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int exit = await SllmCommandLine.InvokeAsync(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }
}
