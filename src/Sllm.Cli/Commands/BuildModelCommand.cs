using System.CommandLine;
using System.Globalization;
using Sllm.Onnx.Building;

namespace Sllm.Cli.Commands;

/// <summary>
/// <c>sllm build-model OUTPUT_DIR [--preset tiny|qwen2.5-0.5b|copying] [--family ...] [--hidden-size N] ...</c>: writes an
/// ONNX Runtime GenAI model folder with seeded random weights, or the hand-wired copying model (see docs/model-builder.md),
/// and prints a one-line summary.
/// </summary>
internal static class BuildModelCommand
{
    private const string TinyPreset = "tiny";
    private const string QwenPreset = "qwen2.5-0.5b";
    private const string CopyingPreset = "copying";

    public static Command Create(TextWriter output, TextWriter error)
    {
        var outputDir = new Argument<string>("OUTPUT_DIR") { Description = "The model folder to write (created when missing; files of the same names are overwritten)." };
        var preset = new Option<string>("--preset") { Description = "The starting shape: tiny (2 layers, hidden 64), qwen2.5-0.5b (Qwen2.5-0.5B's shape, ~2 GB in fp32) or copying (6 layers, hidden 512, hand-wired to copy from its context; layers, MLP width, context up to 2048, seed, precision and bits may change).", DefaultValueFactory = _ => TinyPreset };
        preset.AcceptOnlyFromAmong(TinyPreset, QwenPreset, CopyingPreset);
        var family = new Option<string?>("--family") { Description = "The model family, written as model.type: llama, qwen2 (Q/K/V biases), phi3 or mistral." };
        family.AcceptOnlyFromAmong("llama", "qwen2", "phi3", "mistral");
        var hidden = new Option<int?>("--hidden-size") { Description = "Width of the residual stream." };
        var layers = new Option<int?>("--layers") { Description = "Number of decoder layers." };
        var heads = new Option<int?>("--heads") { Description = "Number of query heads." };
        var kvHeads = new Option<int?>("--kv-heads") { Description = "Number of key/value heads (a divisor of --heads)." };
        var headSize = new Option<int?>("--head-size") { Description = "Size of one head, a multiple of 16 (default: hidden size / heads)." };
        var intermediate = new Option<int?>("--intermediate-size") { Description = "Width of the SwiGLU MLP." };
        var vocab = new Option<int?>("--vocab-size") { Description = "Rows of the embedding and output matrices (default: the tokenizer's vocabulary rounded up to 64)." };
        var context = new Option<int?>("--context-length") { Description = "Longest sequence (context_length and search.max_length)." };
        var precision = new Option<string>("--precision") { Description = "fp32 or fp16 weights, activations, KV cache and logits.", DefaultValueFactory = _ => "fp32" };
        precision.AcceptOnlyFromAmong("fp32", "fp16");
        var bits = new Option<int?>("--bits") { Description = "Quantize the MatMul weights to int4 or int8 MatMulNBits (block 32, zero points, accuracy level 4); default: float." };
        bits.AcceptOnlyFromAmong("4", "8");
        var seed = new Option<long?>("--seed") { Description = "Seed of the random weights (default 0)." };
        var unfused = new Option<bool>("--unfused-rotary") { Description = "Apply RotaryEmbedding before GroupQueryAttention and take position_ids, as DirectML exports do." };
        var tokenizer = new Option<string?>("--tokenizer") { Description = "Copy the tokenizer files of this folder (default: the embedded 584-token ChatML demo tokenizer)." };
        var lora = new Option<string?>("--lora-targets") { Description = "Give these projections LoRA adapter inputs: attention, mlp, all or a list such as q_proj,v_proj (see docs/lora.md)." };
        var command = new Command("build-model", "Write an ONNX Runtime GenAI model folder (graph, weights, genai_config.json, tokenizer) with random weights.")
        {
            outputDir, preset, family, hidden, layers, heads, kvHeads, headSize, intermediate, vocab, context, precision, bits, seed, unfused, tokenizer, lora,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            ModelFamily? chosenFamily = parse.GetValue(family) is { } name ? ParseFamily(name) : null;
            ModelBuilderOptions options = parse.GetValue(preset) switch
            {
                QwenPreset => ModelBuilderOptions.Qwen25HalfBShape(),
                CopyingPreset => ModelBuilderOptions.Copying(),
                _ => ModelBuilderOptions.Tiny(chosenFamily ?? ModelFamily.Llama),
            };
            options.Family = chosenFamily ?? options.Family;

            // A new width or head count re-derives the head size unless it is given too.
            if (parse.GetValue(hidden) is not null || parse.GetValue(heads) is not null)
            {
                options.HeadSize = null;
            }

            options.HiddenSize = parse.GetValue(hidden) ?? options.HiddenSize;
            options.NumLayers = parse.GetValue(layers) ?? options.NumLayers;
            options.NumAttentionHeads = parse.GetValue(heads) ?? options.NumAttentionHeads;
            options.NumKeyValueHeads = parse.GetValue(kvHeads) ?? options.NumKeyValueHeads;
            options.HeadSize = parse.GetValue(headSize) ?? options.HeadSize;
            options.IntermediateSize = parse.GetValue(intermediate) ?? options.IntermediateSize;
            options.VocabSize = parse.GetValue(vocab) ?? options.VocabSize;
            options.ContextLength = parse.GetValue(context) ?? options.ContextLength;
            options.Precision = parse.GetValue(precision) == "fp16" ? ModelPrecision.Float16 : ModelPrecision.Float32;
            options.Quantization = parse.GetValue(bits) is { } b ? new Sllm.Onnx.Quantization.QuantizationOptions { Bits = b } : null;
            options.Seed = parse.GetValue(seed) ?? options.Seed;
            options.FuseRotary = !parse.GetValue(unfused);
            options.TokenizerDirectory = parse.GetValue(tokenizer);
            try
            {
                options.LoraTargets = parse.GetValue(lora) is { } targets ? AdapterCommand.ParseTargets(targets) : options.LoraTargets;
                ModelBuildResult result = await OnnxModelBuilder.BuildAsync(parse.GetValue(outputDir)!, options, cancellationToken).ConfigureAwait(false);
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{result.OutputDirectory}: {options.Family.ToString().ToLowerInvariant()}, {options.NumLayers} layers, hidden {options.HiddenSize}, " +
                    $"{(options.Precision == ModelPrecision.Float16 ? "fp16" : "fp32")}{(options.Quantization is { } q ? $" int{q.Bits}" : string.Empty)}, {result.ParameterCount:N0} parameters, {result.TotalBytes:N0} bytes")).ConfigureAwait(false);
                return 0;
            }
            // ArgumentException: options Validate rejects, or an output path the OS rejects.
            catch (Exception ex) when (ex is SllmException or IOException or UnauthorizedAccessException or ArgumentException or FormatException)
            {
                await error.WriteLineAsync("sllm build-model: " + ex.Message.ReplaceLineEndings(" ")).ConfigureAwait(false);
                return 1;
            }
        });
        return command;
    }

    private static ModelFamily ParseFamily(string name) => name switch
    {
        "qwen2" => ModelFamily.Qwen2,
        "phi3" => ModelFamily.Phi3,
        "mistral" => ModelFamily.Mistral,
        _ => ModelFamily.Llama,
    };
}
