using System.Collections.Concurrent;
using Sllm.Onnx.Building;

namespace Sllm.Onnx.Engine;

/// <summary>Tiny models written by the SDK's own builder, once per test run and shared by the tests that read them.</summary>
internal static class TestModels
{
    private static readonly string Root = Path.Combine(Path.GetTempPath(), "sllm-tests", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
    private static readonly ConcurrentDictionary<string, Lazy<Task<string>>> Built = new(StringComparer.Ordinal);

    static TestModels() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    };

    /// <summary>The llama-shaped default: 2 layers, hidden 64, GroupQueryAttention with a shared KV buffer.</summary>
    public static Task<string> LlamaAsync() => GetAsync("llama", () => ModelBuilderOptions.Tiny(ModelFamily.Llama));

    public static Task<string> GetAsync(string key, Func<ModelBuilderOptions> create) =>
        Built.GetOrAdd(key, k => new Lazy<Task<string>>(() => BuildAsync(k, create()))).Value;

    /// <summary>Copies a built model into a fresh folder that a test may corrupt.</summary>
    public static async Task<string> CopyAsync(string key = "llama")
    {
        string source = await GetAsync(key, () => ModelBuilderOptions.Tiny(ModelFamily.Llama));
        string target = Path.Combine(Root, "copies", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(target);
        foreach (string file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        return target;
    }

    public static async Task<OnnxModel> LoadAsync(string path, Action<OnnxModelOptions>? configure = null)
    {
        var options = new OnnxModelOptions();
        configure?.Invoke(options);
        return await OnnxModel.CreateAsync(path, options);
    }

    private static async Task<string> BuildAsync(string key, ModelBuilderOptions options)
    {
        string directory = Path.Combine(Root, key);
        await OnnxModelBuilder.BuildAsync(directory, options);
        return directory;
    }
}
