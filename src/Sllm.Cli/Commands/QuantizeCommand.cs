using System.CommandLine;
using System.Globalization;
using Sllm.Onnx.Quantization;

namespace Sllm.Cli.Commands;

/// <summary>
/// <c>sllm quantize MODEL_DIR --out DIR [--bits 4|8] [--block-size N] [--symmetric] [--accuracy-level N] [--float-lm-head]</c>:
/// rewrites a float model folder's MatMul weights as int4/int8 <c>MatMulNBits</c> (see docs/quantization.md) and prints a one-line summary.
/// </summary>
internal static class QuantizeCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var source = new Argument<string>("MODEL_DIR") { Description = "The float32/float16 model folder (ORT GenAI format: .onnx files, external data, genai_config.json, tokenizer)." };
        var target = new Option<string>("--out") { Description = "The folder to write (created when missing; must differ from MODEL_DIR).", Required = true };
        var bits = new Option<int>("--bits") { Description = "Bits per weight: 4 or 8.", DefaultValueFactory = _ => 4 };
        bits.AcceptOnlyFromAmong("4", "8");
        var blockSize = new Option<int>("--block-size") { Description = "Weights per scale along the input dimension: a power of two from 16 to 256.", DefaultValueFactory = _ => 32 };
        var symmetric = new Option<bool>("--symmetric") { Description = "Symmetric blocks without zero points (default: asymmetric with zero points, as ONNX Runtime's quantizer)." };
        var accuracy = new Option<int>("--accuracy-level") { Description = "MatMulNBits accuracy_level: 0 unset, 1 fp32, 2 fp16, 3 bf16, 4 int8 (the fast CPU path).", DefaultValueFactory = _ => 4 };
        var floatHead = new Option<bool>("--float-lm-head") { Description = "Leave the output projection (the MatMul producing logits) in float." };
        var command = new Command("quantize", "Convert a float model folder's MatMul weights to int4/int8 MatMulNBits (round-to-nearest, block-wise).")
        {
            source, target, bits, blockSize, symmetric, accuracy, floatHead,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new QuantizationOptions
            {
                Bits = parse.GetValue(bits),
                BlockSize = parse.GetValue(blockSize),
                Symmetric = parse.GetValue(symmetric),
                AccuracyLevel = parse.GetValue(accuracy),
                QuantizeLmHead = !parse.GetValue(floatHead),
            };
            try
            {
                QuantizationResult result = await OnnxQuantizer.QuantizeAsync(parse.GetValue(source)!, parse.GetValue(target)!, options, cancellationToken).ConfigureAwait(false);
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{result.Directory}: int{options.Bits}, block {options.BlockSize}, {(options.Symmetric ? "symmetric" : "asymmetric")}, accuracy level {options.AccuracyLevel}, " +
                    $"{result.QuantizedMatMuls} MatMuls quantized, {result.SourceBytes:N0} -> {result.TargetBytes:N0} bytes")).ConfigureAwait(false);
                return 0;
            }
            catch (Exception ex) when (ex is SllmException or IOException or UnauthorizedAccessException or ArgumentException)
            {
                await error.WriteLineAsync("sllm quantize: " + ex.Message.ReplaceLineEndings(" ")).ConfigureAwait(false);
                return 1;
            }
        });
        return command;
    }
}
