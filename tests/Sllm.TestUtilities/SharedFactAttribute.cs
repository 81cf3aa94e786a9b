using Xunit;

namespace Sllm.Testing;

/// <summary>A fact that needs the <c>../shared</c> corpus and skips with a message when it is absent.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SharedFactAttribute : FactAttribute
{
    /// <summary>Initializes the attribute, setting <see cref="FactAttribute.Skip"/> when the corpus is absent.</summary>
    public SharedFactAttribute()
    {
        if (!SharedData.IsAvailable)
        {
            Skip = SharedData.SkipReason;
        }
    }
}

/// <summary>A theory that needs the <c>../shared</c> corpus and skips with a message when it is absent.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SharedTheoryAttribute : TheoryAttribute
{
    /// <summary>Initializes the attribute, setting <see cref="FactAttribute.Skip"/> when the corpus is absent.</summary>
    public SharedTheoryAttribute()
    {
        if (!SharedData.IsAvailable)
        {
            Skip = SharedData.SkipReason;
        }
    }
}
