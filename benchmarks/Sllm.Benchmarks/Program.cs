using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using Sllm.Benchmarks;

// Reports land in benchmarks/results/ (committed); BenchmarkDotNet's scratch files stay in an ignored artifacts folder.
string resultsDirectory = Path.Combine(RepositoryPaths.Root, "benchmarks", "results");
string artifactsDirectory = Path.Combine(RepositoryPaths.Root, "benchmarks", "artifacts");
IConfig config = DefaultConfig.Instance
    .WithArtifactsPath(artifactsDirectory)

    // The generated benchmark project builds the whole SDK; on a busy 2-core machine that takes longer than the 2-minute default.
    .WithBuildTimeout(TimeSpan.FromMinutes(15))
    .AddColumn(new ThroughputColumn(), new TokenRateColumn(), new AllocatedPerTokenColumn());

var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
Directory.CreateDirectory(resultsDirectory);
foreach (var summary in summaries)
{
    // The GitHub markdown and CSV reports; the HTML report repeats the markdown. The artifacts folder also holds the
    // reports of earlier runs, so only this summary's files are copied: a stale report must never replace a committed one.
    // A run whose benchmarks all failed (a build timeout, a setup exception) leaves its old reports alone.
    if (!summary.Reports.Any(report => report.Success))
    {
        continue;
    }

    string[] types = [.. summary.BenchmarksCases.Select(c => c.Descriptor.Type.FullName!).Distinct()];
    if (types.Length == 1 && File.Exists(summary.LogFilePath) && BenchmarkNotes.Read(summary.LogFilePath) is { Count: > 0 } notes)
    {
        File.WriteAllLines(Path.Combine(resultsDirectory, types[0] + "-notes.txt"), notes);
    }

    foreach (string type in types)
    {
        foreach (string file in Directory.GetFiles(summary.ResultsDirectoryPath, type + "-report*"))
        {
            if (!file.EndsWith(".html", StringComparison.Ordinal))
            {
                File.Copy(file, Path.Combine(resultsDirectory, Path.GetFileName(file)), overwrite: true);
            }
        }
    }
}
