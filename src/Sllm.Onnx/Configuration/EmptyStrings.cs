using System.Collections.ObjectModel;

namespace Sllm.Onnx;

/// <summary>Shared empty read-only collections for configuration defaults.</summary>
internal static class EmptyStrings
{
    internal static readonly IReadOnlyDictionary<string, string> Dictionary =
        new ReadOnlyDictionary<string, string>(new Dictionary<string, string>(StringComparer.Ordinal));
}
