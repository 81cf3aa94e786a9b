namespace Sllm.Onnx;

/// <summary>Where speculative decoding gets its proposals.</summary>
public enum SpeculationMode
{
    /// <summary>No speculation: one target pass per token.</summary>
    None = 0,

    /// <summary>Prompt lookup: copy the continuation of an earlier match of the last few tokens (no second model).</summary>
    PromptLookup,

    /// <summary>A smaller draft model sharing the target's vocabulary (<see cref="SpeculativeDecodingOptions.DraftModelPath"/>
    /// or <see cref="SpeculativeDecodingOptions.DraftModel"/>).</summary>
    DraftModel,

    /// <summary>The caller's own <see cref="Sllm.Generation.IDraftProvider"/> from <see cref="SpeculativeDecodingOptions.DraftProviderFactory"/>.</summary>
    Custom,
}
