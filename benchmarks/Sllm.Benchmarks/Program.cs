using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using Sllm.Benchmarks;

// Reports land in benchmarks/results/ (committed); BenchmarkDotNet's scratch files stay in an ignored artifacts folder.
string resultsDirectory = Path.Combine(RepositoryPaths.Root, "benchmarks", "results");
string artifactsDirectory = Path.Combine(RepositoryPaths.Root, "benchmarks", "artifacts");
IConfig config = DefaultConfig.Instance
    .WithArtifactsPath(artifactsDirectory)
    .AddColumn(new ThroughputColumn(), new TokenRateColumn(), new AllocatedPerTokenColumn());

var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
Directory.CreateDirectory(resultsDirectory);
foreach (var summary in summaries)
{
    // The GitHub markdown and CSV reports; the HTML report repeats the markdown.
    foreach (string file in Directory.GetFiles(summary.ResultsDirectoryPath))
    {
        if (file.EndsWith(".html", StringComparison.Ordinal))
        {
            continue;
        }

        File.Copy(file, Path.Combine(resultsDirectory, Path.GetFileName(file)), overwrite: true);
    }
}
