using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Sllm.Benchmarks.Decoding;

/// <summary>
/// One invocation per iteration and a fixed, small number of iterations: a decode or prefill operation takes
/// milliseconds to seconds, and <c>[IterationSetup]</c> (which prefills before each timed decode) needs one invocation
/// per iteration anyway.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
internal sealed class DecodeJobAttribute : Attribute, IConfigSource
{
    public DecodeJobAttribute(int warmupCount, int iterationCount, bool inProcess = false)
    {
        WarmupCount = warmupCount;
        IterationCount = iterationCount;
        Job job = Job.Default
            .WithLaunchCount(1)
            .WithWarmupCount(warmupCount)
            .WithIterationCount(iterationCount)
            .WithInvocationCount(1)
            .WithUnrollFactor(1);

        // In-process: every case runs in the host process, so a comparison of a few percent is not swamped by the
        // process-to-process spread (memory placement, core assignment) that separate processes show on a shared VM.
        Config = ManualConfig.CreateEmpty().AddJob(inProcess ? job.WithToolchain(InProcessEmitToolchain.Instance) : job);
    }

    public int WarmupCount { get; }

    public int IterationCount { get; }

    public IConfig Config { get; }
}
