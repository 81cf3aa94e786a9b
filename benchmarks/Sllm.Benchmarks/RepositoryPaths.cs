namespace Sllm.Benchmarks;

/// <summary>Finds the repository root and the shared corpus beside it, wherever BenchmarkDotNet runs the process.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Shared(params string[] parts)
    {
        string shared = Environment.GetEnvironmentVariable("SLLM_SHARED_DIR") ?? Path.Combine(Root, "..", "shared");
        string path = Path.GetFullPath(Path.Combine([shared, .. parts]));
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            throw new FileNotFoundException($"Benchmark input '{path}' is missing: these benchmarks read ../shared (or SLLM_SHARED_DIR).", path);
        }

        return path;
    }

    private static string FindRoot()
    {
        foreach (string start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Sllm.Sdk.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("Run the benchmarks from inside the repository (Sllm.Sdk.sln not found).");
    }
}
