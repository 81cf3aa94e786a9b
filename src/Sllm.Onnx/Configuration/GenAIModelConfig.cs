namespace Sllm.Onnx;

/// <summary>The <c>model</c> section: architecture, special token ids, vocabulary and context sizes, and the decoder.</summary>
/// <remarks>Immutable; safe to share between threads.</remarks>
public sealed class GenAIModelConfig
{
    internal GenAIModelConfig()
    {
    }

    /// <summary>Gets <c>type</c>: the architecture (<c>llama</c>, <c>phi3</c>, <c>qwen2</c>, <c>gpt2</c>, ...).</summary>
    public string Type { get; internal init; } = string.Empty;

    /// <summary>Gets <c>bos_token_id</c> (default 0).</summary>
    public int BosTokenId { get; internal init; }

    /// <summary>Gets <c>pad_token_id</c> (default 0).</summary>
    public int PadTokenId { get; internal init; }

    /// <summary>
    /// Gets <c>eos_token_id</c>: one id or a list of ids. When the file gives none, this is
    /// [<see cref="PadTokenId"/>], as in ORT GenAI.
    /// </summary>
    public IReadOnlyList<int> EosTokenIds { get; internal init; } = [];

    /// <summary>Gets <c>sep_token_id</c> (default 0).</summary>
    public int SepTokenId { get; internal init; }

    /// <summary>Gets <c>decoder_start_token_id</c> (default 0).</summary>
    public int DecoderStartTokenId { get; internal init; }

    /// <summary>Gets <c>vocab_size</c>: the logits' last dimension.</summary>
    public int VocabSize { get; internal init; }

    /// <summary>Gets <c>context_length</c>: the longest sequence the model supports (required, positive).</summary>
    public int ContextLength { get; internal init; }

    /// <summary>Gets <c>tokenizer_dir</c>: the tokenizer folder relative to the model folder; empty means the model folder.</summary>
    public string TokenizerDirectory { get; internal init; } = string.Empty;

    /// <summary>Gets <c>decoder</c>.</summary>
    public GenAIDecoderConfig Decoder { get; internal init; } = new();
}
