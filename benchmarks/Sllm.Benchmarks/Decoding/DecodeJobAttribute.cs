using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace Sllm.Benchmarks.Decoding;

/// <summary>
/// One invocation per iteration and a fixed, small number of iterations: a decode or prefill operation takes
/// milliseconds to seconds, and <c>[IterationSetup]</c> (which prefills before each timed decode) needs one invocation
/// per iteration anyway.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
internal sealed class DecodeJobAttribute : Attribute, IConfigSource
{
    public DecodeJobAttribute(int warmupCount, int iterationCount)
    {
        WarmupCount = warmupCount;
        IterationCount = iterationCount;
        Config = ManualConfig.CreateEmpty().AddJob(Job.Default
            .WithLaunchCount(1)
            .WithWarmupCount(warmupCount)
            .WithIterationCount(iterationCount)
            .WithInvocationCount(1)
            .WithUnrollFactor(1));
    }

    public int WarmupCount { get; }

    public int IterationCount { get; }

    public IConfig Config { get; }
}
