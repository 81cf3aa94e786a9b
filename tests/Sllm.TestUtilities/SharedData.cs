namespace Sllm.Testing;

/// <summary>Locates the read-only <c>../shared</c> corpus that sits beside the repository.</summary>
public static class SharedData
{
    private static readonly Lazy<string?> Root = new(FindRoot);

    /// <summary>Gets the absolute path of the shared folder, or null when it is absent.</summary>
    public static string? Directory => Root.Value;

    /// <summary>Gets whether the shared folder is present.</summary>
    public static bool IsAvailable => Root.Value is not null;

    /// <summary>The message tests skip with when the shared folder is absent.</summary>
    public const string SkipReason = "../shared is absent (set SLLM_SHARED_DIR to point at it)";

    /// <summary>Combines parts under the shared folder; throws when it is absent.</summary>
    public static string PathOf(params string[] parts)
    {
        string root = Root.Value ?? throw new InvalidOperationException(SkipReason);
        return Path.Combine([root, .. parts]);
    }

    /// <summary>Gets the repository root (the folder holding Sllm.Sdk.sln).</summary>
    public static string RepositoryRoot => RepoRoot.Value;

    private static readonly Lazy<string> RepoRoot = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Sllm.Sdk.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Sllm.Sdk.sln not found above " + AppContext.BaseDirectory);
    });

    private static string? FindRoot()
    {
        string? fromEnv = Environment.GetEnvironmentVariable("SLLM_SHARED_DIR");
        if (!string.IsNullOrEmpty(fromEnv))
        {
            return System.IO.Directory.Exists(fromEnv) ? Path.GetFullPath(fromEnv) : null;
        }

        string candidate = Path.GetFullPath(Path.Combine(RepoRoot.Value, "..", "shared"));
        return System.IO.Directory.Exists(Path.Combine(candidate, "conformance")) ? candidate : null;
    }
}
