using System.Text.Json.Serialization;

namespace Sllm.Tokenization.Json;

/// <summary>Source-generated (AOT-safe) serialization metadata for the few values written as JSON text.</summary>
[JsonSerializable(typeof(string))]
internal sealed partial class TokenizerJsonContext : JsonSerializerContext;
