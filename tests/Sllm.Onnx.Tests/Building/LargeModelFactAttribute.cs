namespace Sllm.Onnx.Building;

/// <summary>A fact that builds a full-size model (gigabytes, tens of seconds) and runs only when SLLM_LARGE_MODEL_TESTS=1.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class LargeModelFactAttribute : FactAttribute
{
    public const string Variable = "SLLM_LARGE_MODEL_TESTS";

    public LargeModelFactAttribute()
    {
        if (Environment.GetEnvironmentVariable(Variable) != "1")
        {
            Skip = $"writes a ~2 GB model; set {Variable}=1 to run";
        }
    }
}
