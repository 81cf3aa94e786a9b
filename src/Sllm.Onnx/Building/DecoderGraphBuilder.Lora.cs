namespace Sllm.Onnx.Building;

/// <summary>The LoRA inputs of targeted projections, laid out as Olive's <c>ExtractAdapters</c> pass exports them.</summary>
/// <remarks>
/// <para>
/// Each targeted Hugging Face module <c>model.layers.{i}.self_attn.q_proj</c> gets graph inputs
/// <c>model.layers.{i}.self_attn.q_proj.lora_A.weight</c> [in, lora_r] and <c>….lora_B.weight</c> [lora_r, out] (PEFT's
/// names with <c>base_model.model.</c> dropped, which is what Olive's <c>export-adapters</c> writes), each also an
/// initializer of rank 0 so a run without an adapter sees the base model. Unlike Olive's single symbolic <c>lora_r</c>, each
/// module has its own rank dimension (<c>{module}.lora_r</c>), so an adapter may cover some modules and not others, or
/// give them different ranks. The projection becomes
/// <c>x·W + (x·A)·B</c>, the bias (if any) added after, as PEFT computes it.
/// </para>
/// <para>
/// The packed QKV MatMul of the CPU layout cannot take one A/B pair per part, so each part gets its own pair and the
/// three low-rank products are concatenated along the output axis, in the packing order, before the Add. Since the
/// Concat needs all three parts, targeting any of q, k, v gives inputs for all three; an adapter that leaves one out
/// leaves it at its rank-0 default.
/// </para>
/// </remarks>
internal sealed partial class DecoderGraphBuilder
{
    private readonly List<OnnxTensor> _loraDefaults = [];
    private readonly List<OnnxValueInfo> _loraInputs = [];

    private string AddLora(string basename, string input, int width, (string HfPrefix, int Rows)[] parts, string output)
    {
        if (!IsLoraTarget(parts))
        {
            return output;
        }

        var products = new string[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            string module = parts[i].HfPrefix;
            // One rank name per module: ONNX Runtime plans buffers assuming equal dim_params are equal sizes, so a shared
            // "lora_r" breaks as soon as an adapter leaves a module at its rank-0 default while giving another rank 8.
            string rank = $"{module}.lora_r";
            string a = AddLoraInput($"{module}.lora_A.weight", [width, rank], [width, 0]);
            string b = AddLoraInput($"{module}.lora_B.weight", [rank, parts[i].Rows], [0, parts[i].Rows]);
            string scope = parts.Length == 1 ? $"{basename}/lora" : $"{basename}/lora/{ModuleName(module)}";
            string down = Node($"{scope}/MatMul_A", "MatMul", [input, a]);
            products[i] = Node($"{scope}/MatMul_B", "MatMul", [down, b]);
        }

        string delta = products.Length == 1
            ? products[0]
            : Node($"{basename}/lora/Concat", "Concat", products, [OnnxAttribute.Int("axis", -1)]);
        return Node($"{basename}/lora/Add", "Add", [output, delta]);
    }

    private bool IsLoraTarget((string HfPrefix, int Rows)[] parts)
    {
        foreach ((string prefix, _) in parts)
        {
            if ((_shape.LoraTargets & ModuleFlag(ModuleName(prefix))) != 0)
            {
                return true;
            }
        }

        return false;
    }

    private string AddLoraInput(string name, OnnxDimension[] shape, long[] emptyDims)
    {
        _loraInputs.Add(new OnnxValueInfo(name, Io, shape));
        _loraDefaults.Add(OnnxTensor.Inline(name, Io, emptyDims, []));
        return name;
    }

    private static string ModuleName(string hfPrefix) => hfPrefix[(hfPrefix.LastIndexOf('.') + 1)..];

    private static LoraTargetModules ModuleFlag(string module) => module switch
    {
        "q_proj" => LoraTargetModules.QProj,
        "k_proj" => LoraTargetModules.KProj,
        "v_proj" => LoraTargetModules.VProj,
        "o_proj" => LoraTargetModules.OProj,
        "gate_proj" => LoraTargetModules.GateProj,
        "up_proj" => LoraTargetModules.UpProj,
        "down_proj" => LoraTargetModules.DownProj,
        _ => LoraTargetModules.None,
    };
}
