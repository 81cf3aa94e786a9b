namespace Sllm.Onnx;

/// <summary>The <c>session_options</c> of a model component: ONNX Runtime session settings and execution providers.</summary>
/// <remarks>
/// Null means "not set in the file": ONNX Runtime's own default applies. Scalars that are not named settings become
/// session config entries (<see cref="ConfigEntries"/>), as ORT GenAI's <c>AddConfigEntry</c> does. Immutable; safe to
/// share between threads.
/// </remarks>
public sealed class GenAISessionOptions
{
    internal GenAISessionOptions()
    {
    }

    /// <summary>Gets <c>intra_op_num_threads</c>.</summary>
    public int? IntraOpNumThreads { get; internal init; }

    /// <summary>Gets <c>inter_op_num_threads</c>.</summary>
    public int? InterOpNumThreads { get; internal init; }

    /// <summary>Gets <c>enable_cpu_mem_arena</c>.</summary>
    public bool? EnableCpuMemArena { get; internal init; }

    /// <summary>Gets <c>enable_mem_pattern</c>.</summary>
    public bool? EnableMemPattern { get; internal init; }

    /// <summary>Gets <c>log_id</c>.</summary>
    public string? LogId { get; internal init; }

    /// <summary>Gets <c>log_severity_level</c>.</summary>
    public int? LogSeverityLevel { get; internal init; }

    /// <summary>Gets <c>log_verbosity_level</c>.</summary>
    public int? LogVerbosityLevel { get; internal init; }

    /// <summary>Gets <c>enable_profiling</c>: the profile file prefix.</summary>
    public string? EnableProfiling { get; internal init; }

    /// <summary>Gets <c>custom_ops_library</c>: a custom-operator library path.</summary>
    public string? CustomOpsLibrary { get; internal init; }

    /// <summary>Gets <c>graph_optimization_level</c> (<c>ORT_DISABLE_ALL</c>, <c>ORT_ENABLE_BASIC</c>, <c>ORT_ENABLE_EXTENDED</c>, <c>ORT_ENABLE_ALL</c>).</summary>
    public string? GraphOptimizationLevel { get; internal init; }

    /// <summary>Gets the execution providers in file order, which is ORT GenAI's preference order.</summary>
    public IReadOnlyList<GenAIProviderOptions> ProviderOptions { get; internal init; } = [];

    /// <summary>Gets the session config entries: other scalar keys, e.g. <c>session.use_device_allocator_for_initializers</c>.</summary>
    public IReadOnlyDictionary<string, string> ConfigEntries { get; internal init; } = EmptyStrings.Dictionary;
}
