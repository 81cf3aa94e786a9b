namespace Sllm.Onnx.Building;

/// <summary>The projections of each decoder layer that take LoRA adapter inputs, named as PEFT's <c>target_modules</c> names them.</summary>
/// <remarks>
/// <see cref="Attention"/> (q, k, v and o) is the common PEFT choice and <see cref="All"/> adds the MLP. Each targeted
/// projection costs two small MatMuls and an Add per token even when no adapter is active (the defaults have rank 0).
/// </remarks>
[Flags]
public enum LoraTargetModules
{
    /// <summary>No LoRA inputs: the graph is the plain base model.</summary>
    None = 0,

    /// <summary>The query projection (<c>q_proj</c>).</summary>
    QProj = 1,

    /// <summary>The key projection (<c>k_proj</c>).</summary>
    KProj = 2,

    /// <summary>The value projection (<c>v_proj</c>).</summary>
    VProj = 4,

    /// <summary>The attention output projection (<c>o_proj</c>).</summary>
    OProj = 8,

    /// <summary>The MLP gate projection (<c>gate_proj</c>).</summary>
    GateProj = 16,

    /// <summary>The MLP up projection (<c>up_proj</c>).</summary>
    UpProj = 32,

    /// <summary>The MLP down projection (<c>down_proj</c>).</summary>
    DownProj = 64,

    /// <summary>The four attention projections.</summary>
    Attention = QProj | KProj | VProj | OProj,

    /// <summary>The three MLP projections.</summary>
    Mlp = GateProj | UpProj | DownProj,

    /// <summary>All seven projections.</summary>
    All = Attention | Mlp,
}
