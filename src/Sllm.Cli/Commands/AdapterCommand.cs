using System.CommandLine;
using System.Globalization;
using Sllm.Onnx;
using Sllm.Onnx.Building;
using Sllm.Onnx.Lora;

namespace Sllm.Cli.Commands;

/// <summary>
/// <c>sllm adapter convert PEFT_DIR --model MODEL_DIR --out FILE.onnx_adapter</c>: converts a PEFT LoRA checkpoint for a base
/// model with LoRA inputs; <c>sllm adapter inspect FILE.onnx_adapter</c>: lists an adapter's tensors. See docs/lora.md.
/// </summary>
internal static class AdapterCommand
{
    public static Command Create(TextWriter output, TextWriter error) =>
        new("adapter", "Convert and inspect LoRA adapters (.onnx_adapter, ONNX Runtime's format).")
        {
            CreateConvert(output, error),
            CreateInspect(output, error),
        };

    /// <summary>Parses <c>--lora-targets</c>: <c>attention</c>, <c>mlp</c>, <c>all</c>, <c>none</c> or module names such as <c>q_proj,v_proj</c>.</summary>
    internal static LoraTargetModules ParseTargets(string text)
    {
        LoraTargetModules targets = LoraTargetModules.None;
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            targets |= part.ToLowerInvariant() switch
            {
                "none" => LoraTargetModules.None,
                "attention" => LoraTargetModules.Attention,
                "mlp" => LoraTargetModules.Mlp,
                "all" => LoraTargetModules.All,
                "q_proj" => LoraTargetModules.QProj,
                "k_proj" => LoraTargetModules.KProj,
                "v_proj" => LoraTargetModules.VProj,
                "o_proj" => LoraTargetModules.OProj,
                "gate_proj" => LoraTargetModules.GateProj,
                "up_proj" => LoraTargetModules.UpProj,
                "down_proj" => LoraTargetModules.DownProj,
                _ => throw new FormatException($"--lora-targets: '{part}' is not attention, mlp, all, none or a projection (q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj)."),
            };
        }

        return targets;
    }

    private static Command CreateConvert(TextWriter output, TextWriter error)
    {
        var peftDir = new Argument<string>("PEFT_DIR") { Description = "A PEFT LoRA folder: adapter_config.json and adapter_model.safetensors." };
        var model = new Option<string>("--model") { Description = "The base model folder (built with LoRA inputs); it decides names, shapes and element type.", Required = true };
        var outFile = new Option<string>("--out") { Description = "The .onnx_adapter file to write.", Required = true };
        var command = new Command("convert", "Convert a PEFT LoRA checkpoint to an .onnx_adapter file for a base model.") { peftDir, model, outFile };
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                using OnnxModel baseModel = await OnnxModel.CreateAsync(parse.GetValue(model)!, new OnnxModelOptions { RequireTokenizer = false }, cancellationToken).ConfigureAwait(false);
                string file = parse.GetValue(outFile)!;
                OnnxAdapterFile adapter = await LoraAdapterConverter.ConvertPeftToFileAsync(parse.GetValue(peftDir)!, baseModel, file, options: null, cancellationToken).ConfigureAwait(false);
                long bytes = 0;
                foreach (LoraParameter parameter in adapter.Parameters)
                {
                    bytes += parameter.Data.Length;
                }

                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{Path.GetFullPath(file)}: {adapter.Parameters.Count} tensors, {bytes:N0} bytes")).ConfigureAwait(false);
                return 0;
            }
            catch (Exception ex) when (ex is SllmException or IOException or UnauthorizedAccessException or ArgumentException)
            {
                await error.WriteLineAsync("sllm adapter convert: " + ex.Message.ReplaceLineEndings(" ")).ConfigureAwait(false);
                return 1;
            }
        });
        return command;
    }

    private static Command CreateInspect(TextWriter output, TextWriter error)
    {
        var file = new Argument<string>("FILE") { Description = "An .onnx_adapter file." };
        var command = new Command("inspect", "List the tensors of an .onnx_adapter file.") { file };
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                OnnxAdapterFile adapter = await OnnxAdapterFile.ReadAsync(parse.GetValue(file)!, cancellationToken).ConfigureAwait(false);
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"format {adapter.FormatVersion}, adapter version {adapter.AdapterVersion}, model version {adapter.ModelVersion}, {adapter.Parameters.Count} tensors")).ConfigureAwait(false);
                foreach (LoraParameter parameter in adapter.Parameters)
                {
                    await output.WriteLineAsync($"{parameter.Name} [{string.Join(", ", parameter.Dimensions)}] {parameter.DataType}").ConfigureAwait(false);
                }

                return 0;
            }
            catch (SllmException ex)
            {
                await error.WriteLineAsync("sllm adapter inspect: " + ex.Message.ReplaceLineEndings(" ")).ConfigureAwait(false);
                return 1;
            }
        });
        return command;
    }
}
