using Xunit;

using System.Runtime.CompilerServices;
using System.Text;

namespace Sllm.Testing;

/// <summary>
/// Golden-file (snapshot) assertions in the style of Verify: the accepted output lives in
/// <c>&lt;TestFileDir&gt;/Golden/&lt;name&gt;.verified.txt</c> next to the test source.
/// </summary>
/// <remarks>
/// Verify.Xunit cannot be restored from the registry the build machines reach (its core package is missing), so this
/// keeps Verify's workflow: on a mismatch or a missing file, the actual text is written to
/// <c>&lt;name&gt;.received.txt</c> and the test fails; accept by renaming it to <c>.verified.txt</c>, or run once with
/// <c>SLLM_ACCEPT_GOLDEN=1</c>. Line endings are normalised to <c>\n</c>.
/// </remarks>
public static class Golden
{
    /// <summary>Compares <paramref name="actual"/> with the golden file <paramref name="name"/>.</summary>
    public static void Verify(string actual, string name, [CallerFilePath] string sourceFile = "")
    {
        ArgumentNullException.ThrowIfNull(actual);
        string dir = Path.Combine(Path.GetDirectoryName(SourcePath(sourceFile))!, "Golden");
        string verified = Path.Combine(dir, name + ".verified.txt");
        string received = Path.Combine(dir, name + ".received.txt");
        string normalized = actual.Replace("\r\n", "\n", StringComparison.Ordinal);

        if (File.Exists(verified))
        {
            string expected = File.ReadAllText(verified, Encoding.UTF8).Replace("\r\n", "\n", StringComparison.Ordinal);
            if (string.Equals(expected, normalized, StringComparison.Ordinal))
            {
                if (File.Exists(received))
                {
                    File.Delete(received);
                }

                return;
            }
        }

        System.IO.Directory.CreateDirectory(dir);
        if (Environment.GetEnvironmentVariable("SLLM_ACCEPT_GOLDEN") == "1")
        {
            File.WriteAllText(verified, normalized, new UTF8Encoding(false));
            return;
        }

        File.WriteAllText(received, normalized, new UTF8Encoding(false));
        Assert.Fail($"Golden file mismatch for '{name}'. Compare {received} with {verified}; rename to accept.");
    }

    // CI builds are deterministic (ContinuousIntegrationBuild), which maps source paths to "/_/"; map them back.
    private static string SourcePath(string sourceFile)
    {
        const string DeterministicRoot = "/_/";
        return sourceFile.StartsWith(DeterministicRoot, StringComparison.Ordinal) && !File.Exists(sourceFile)
            ? Path.Combine(SharedData.RepositoryRoot, sourceFile[DeterministicRoot.Length..])
            : sourceFile;
    }
}
