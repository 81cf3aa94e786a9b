using Microsoft.ML.OnnxRuntime;

namespace Sllm.Onnx.Runtime;

/// <summary>Turns the config's <c>session_options</c> and the caller's overrides into ONNX Runtime <see cref="SessionOptions"/>.</summary>
internal static class SessionFactory
{
    private const string ProvidersField = "model.decoder.session_options.provider_options";

    public static SessionOptions CreateOptions(GenAIConfig config, OnnxModelOptions options, string configPath)
    {
        GenAISessionOptions source = config.Model.Decoder.SessionOptions;
        var session = new SessionOptions();
        try
        {
            if (source.IntraOpNumThreads is int intra)
            {
                session.IntraOpNumThreads = intra;
            }

            if (options.IntraOpNumThreads is int overrideIntra)
            {
                session.IntraOpNumThreads = overrideIntra;
            }

            if (source.InterOpNumThreads is int inter)
            {
                session.InterOpNumThreads = inter;
            }

            if (source.EnableCpuMemArena is bool arena)
            {
                session.EnableCpuMemArena = arena;
            }

            if (source.EnableMemPattern is bool pattern)
            {
                session.EnableMemoryPattern = pattern;
            }

            if (source.LogId is not null)
            {
                session.LogId = source.LogId;
            }

            if (source.LogSeverityLevel is int severity)
            {
                session.LogSeverityLevel = (OrtLoggingLevel)severity;
            }

            if (source.LogVerbosityLevel is int verbosity)
            {
                session.LogVerbosityLevel = verbosity;
            }

            session.GraphOptimizationLevel = source.GraphOptimizationLevel switch
            {
                "ORT_DISABLE_ALL" => GraphOptimizationLevel.ORT_DISABLE_ALL,
                "ORT_ENABLE_BASIC" => GraphOptimizationLevel.ORT_ENABLE_BASIC,
                "ORT_ENABLE_EXTENDED" => GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
                _ => GraphOptimizationLevel.ORT_ENABLE_ALL,
            };
            if (source.CustomOpsLibrary is { Length: > 0 } library)
            {
                session.RegisterCustomOpLibraryV2(library, out _);
            }

            foreach (KeyValuePair<string, string> entry in source.ConfigEntries)
            {
                session.AddSessionConfigEntry(entry.Key, entry.Value);
            }

            foreach (KeyValuePair<string, string> entry in options.SessionConfigEntries)
            {
                session.AddSessionConfigEntry(entry.Key, entry.Value);
            }

            AppendProviders(session, config, options, configPath);
            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    private static void AppendProviders(SessionOptions session, GenAIConfig config, OnnxModelOptions options, string configPath)
    {
        string[] available = OrtEnv.Instance().GetAvailableProviders();
        if (options.ExecutionProviders.Count > 0)
        {
            foreach (string name in options.ExecutionProviders)
            {
                Append(session, name, new Dictionary<string, string>(StringComparer.Ordinal), available, configPath, "OnnxModelOptions.ExecutionProviders");
            }

            return;
        }

        foreach (GenAIProviderOptions provider in config.Model.Decoder.SessionOptions.ProviderOptions)
        {
            Append(session, provider.Name, new Dictionary<string, string>(provider.Options, StringComparer.Ordinal), available, configPath, ProvidersField);
        }
    }

    private static void Append(SessionOptions session, string name, Dictionary<string, string> settings, string[] available, string configPath, string source)
    {
        string key = name.Trim().ToLowerInvariant();
        if (key == "cpu")
        {
            return;
        }

        string ortName = key switch
        {
            "cuda" => "CUDAExecutionProvider",
            "dml" or "directml" => "DmlExecutionProvider",
            "tensorrt" or "nvtensorrtrtx" => "TensorrtExecutionProvider",
            "rocm" => "ROCMExecutionProvider",
            "openvino" => "OpenVINOExecutionProvider",
            "qnn" => "QNNExecutionProvider",
            "webgpu" => "WebGpuExecutionProvider",
            "coreml" => "CoreMLExecutionProvider",
            "xnnpack" => "XnnpackExecutionProvider",
            "migraphx" => "MIGraphXExecutionProvider",
            "vitisai" => "VitisAIExecutionProvider",
            _ => name,
        };
        if (Array.IndexOf(available, ortName) < 0)
        {
            throw new ModelLoadException(
                SllmErrorKind.ExecutionProviderUnavailable,
                $"{configPath}: {source} asks for the '{name}' execution provider, but the ONNX Runtime native library in this process only has {string.Join(", ", available)}. " +
                "Reference the ONNX Runtime package that provides it (for CUDA, Microsoft.ML.OnnxRuntime.Gpu) or set OnnxModelOptions.ExecutionProviders to [\"cpu\"].",
                configPath,
                source,
                innerException: null);
        }

        switch (key)
        {
            case "cuda":
                using (var cuda = new OrtCUDAProviderOptions())
                {
                    cuda.UpdateOptions(settings);
                    session.AppendExecutionProvider_CUDA(cuda);
                }

                break;
            case "dml" or "directml":
                session.AppendExecutionProvider_DML(settings.TryGetValue("device_id", out string? device) && int.TryParse(device, out int id) ? id : 0);
                break;
            case "tensorrt" or "nvtensorrtrtx":
                using (var tensorrt = new OrtTensorRTProviderOptions())
                {
                    tensorrt.UpdateOptions(settings);
                    session.AppendExecutionProvider_Tensorrt(tensorrt);
                }

                break;
            case "rocm":
                using (var rocm = new OrtROCMProviderOptions())
                {
                    rocm.UpdateOptions(settings);
                    session.AppendExecutionProvider_ROCm(rocm);
                }

                break;
            default:
                session.AppendExecutionProvider(ortName switch
                {
                    "OpenVINOExecutionProvider" => "OpenVINO",
                    "QNNExecutionProvider" => "QNN",
                    "WebGpuExecutionProvider" => "WebGPU",
                    "CoreMLExecutionProvider" => "CoreML",
                    "XnnpackExecutionProvider" => "XNNPACK",
                    "VitisAIExecutionProvider" => "VitisAI",
                    _ => name,
                }, settings);
                break;
        }
    }
}
