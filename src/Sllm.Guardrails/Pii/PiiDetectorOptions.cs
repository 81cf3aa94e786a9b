namespace Sllm.Guardrails;

/// <summary>Options for <see cref="PiiDetector"/>.</summary>
/// <remarks>
/// Set the options before creating the detector; it copies them, so later changes have no effect on it. Not
/// thread-safe while being changed.
/// </remarks>
public sealed class PiiDetectorOptions
{
    private static readonly PiiEntityKind[] AllKinds = Enum.GetValues<PiiEntityKind>();

    /// <summary>Gets or sets the kinds to look for.</summary>
    /// <value>The default is every <see cref="PiiEntityKind"/>; must not be empty.</value>
    public IReadOnlyCollection<PiiEntityKind> EntityKinds { get; set; } = AllKinds;

    /// <summary>Checks that the options are usable.</summary>
    /// <exception cref="ArgumentException"><see cref="EntityKinds"/> is null, empty or holds an undefined value.</exception>
    public void Validate()
    {
        if (EntityKinds is null || EntityKinds.Count == 0)
        {
            throw new ArgumentException("At least one entity kind must be enabled.", nameof(EntityKinds));
        }

        foreach (PiiEntityKind kind in EntityKinds)
        {
            if (!Enum.IsDefined(kind))
            {
                throw new ArgumentException($"{(int)kind} is not a defined {nameof(PiiEntityKind)}.", nameof(EntityKinds));
            }
        }
    }
}
