using System.Collections.ObjectModel;
using System.Text.Json;

namespace Sllm.Onnx;

/// <summary>Reads a <c>session_options</c> object, including <c>provider_options</c> and config-entry passthrough.</summary>
internal static class GenAISessionOptionsParser
{
    internal static GenAISessionOptions Parse(JsonElement e, string path, GenAIJsonReader r)
    {
        int? intraOp = null, interOp = null, severity = null, verbosity = null;
        bool? cpuArena = null, memPattern = null;
        string? logId = null, profiling = null, customOps = null, optimization = null;
        IReadOnlyList<GenAIProviderOptions> providers = [];
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (JsonProperty p in e.EnumerateObject())
        {
            string at = GenAIJsonReader.Child(path, p.Name);
            switch (p.Name)
            {
                case "intra_op_num_threads": intraOp = r.Int(p.Value, at); break;
                case "inter_op_num_threads": interOp = r.Int(p.Value, at); break;
                case "enable_cpu_mem_arena": cpuArena = r.Bool(p.Value, at); break;
                case "enable_mem_pattern": memPattern = r.Bool(p.Value, at); break;
                case "log_id": logId = r.String(p.Value, at); break;
                case "log_severity_level": severity = r.Int(p.Value, at); break;
                case "log_verbosity_level": verbosity = r.Int(p.Value, at); break;
                case "enable_profiling": profiling = r.String(p.Value, at); break;
                case "custom_ops_library": customOps = r.String(p.Value, at); break;
                case "graph_optimization_level": optimization = GraphOptimizationLevel(p.Value, at, r); break;
                case "provider_options": providers = ParseProviders(r.Array(p.Value, at), at, r); break;
                default:
                    // ORT GenAI turns any other scalar into a session config entry (AddConfigEntry).
                    if (GenAIJsonReader.TryScalarText(p.Value, out string text))
                    {
                        entries[p.Name] = text;
                    }
                    else
                    {
                        r.Unknown(at);
                    }

                    break;
            }
        }

        return new GenAISessionOptions
        {
            IntraOpNumThreads = intraOp,
            InterOpNumThreads = interOp,
            EnableCpuMemArena = cpuArena,
            EnableMemPattern = memPattern,
            LogId = logId,
            LogSeverityLevel = severity,
            LogVerbosityLevel = verbosity,
            EnableProfiling = profiling,
            CustomOpsLibrary = customOps,
            GraphOptimizationLevel = optimization,
            ProviderOptions = providers,
            ConfigEntries = new ReadOnlyDictionary<string, string>(entries),
        };
    }

    private static string GraphOptimizationLevel(JsonElement value, string at, GenAIJsonReader r)
    {
        string level = r.String(value, at);
        return level is "ORT_DISABLE_ALL" or "ORT_ENABLE_BASIC" or "ORT_ENABLE_EXTENDED" or "ORT_ENABLE_ALL"
            ? level
            : throw r.Fail(at, $"must be ORT_DISABLE_ALL, ORT_ENABLE_BASIC, ORT_ENABLE_EXTENDED or ORT_ENABLE_ALL, not '{level}'.");
    }

    // Each entry is an object with one key, the provider's name: [{ "cuda": { "enable_cuda_graph": "1" } }].
    private static ReadOnlyCollection<GenAIProviderOptions> ParseProviders(JsonElement array, string path, GenAIJsonReader r)
    {
        var providers = new List<GenAIProviderOptions>();
        int i = 0;
        foreach (JsonElement item in array.EnumerateArray())
        {
            string itemPath = $"{path}[{i++}]";
            foreach (JsonProperty p in r.Object(item, itemPath).EnumerateObject())
            {
                string at = GenAIJsonReader.Child(itemPath, p.Name);
                providers.Add(new GenAIProviderOptions(p.Name, r.StringMap(p.Value, at)));
            }
        }

        return providers.AsReadOnly();
    }
}
