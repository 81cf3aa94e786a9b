namespace Sllm.Onnx;

/// <summary>One entry of <c>session_options.provider_options</c>: an execution provider and its string options.</summary>
/// <remarks>Immutable; safe to share between threads.</remarks>
public sealed class GenAIProviderOptions
{
    internal GenAIProviderOptions(string name, IReadOnlyDictionary<string, string> options)
    {
        Name = name;
        Options = options;
    }

    /// <summary>Gets the provider's name as written in the file (<c>cuda</c>, <c>dml</c>, <c>qnn</c>, <c>webgpu</c>, ...).</summary>
    public string Name { get; }

    /// <summary>Gets the provider's options; ORT GenAI passes them through as free-form strings.</summary>
    public IReadOnlyDictionary<string, string> Options { get; }
}
