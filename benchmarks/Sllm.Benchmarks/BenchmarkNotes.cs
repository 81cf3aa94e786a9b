namespace Sllm.Benchmarks;

/// <summary>Measurements a benchmark prints beside its timings (acceptance rates, reused tokens), kept with the results.</summary>
/// <remarks>A note goes to the console with <see cref="Prefix"/>, so BenchmarkDotNet's log of the run holds it (benchmarks
/// run in child processes, whose output the log captures); <c>Program</c> copies a run's notes to
/// <c>benchmarks/results/&lt;type&gt;-notes.txt</c>. Thread-safe.</remarks>
internal static class BenchmarkNotes
{
    public const string Prefix = "// note: ";

    public static void Write(string text) => Console.WriteLine(Prefix + text);

    /// <summary>Returns the distinct notes of a log, in order.</summary>
    public static IReadOnlyList<string> Read(string logFile)
    {
        var notes = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string line in File.ReadLines(logFile))
        {
            int start = line.IndexOf(Prefix, StringComparison.Ordinal);
            if (start >= 0 && line[(start + Prefix.Length)..] is { } note && seen.Add(note))
            {
                notes.Add(note);
            }
        }

        return notes;
    }
}
