namespace Sllm.ChatTemplates.Jinja;

/// <summary>The sandbox's accounting: loop iterations and macro calls, string and list sizes, and the total work a
/// render may do, against <see cref="ChatTemplateOptions"/>.</summary>
internal sealed partial class Interpreter
{
    /// <summary>How many characters and items a render may copy or scan in total, per unit of the larger of
    /// <see cref="ChatTemplateOptions.MaxOutputLength"/> and <see cref="ChatTemplateOptions.MaxIterations"/>.</summary>
    internal const int WorkPerOutputCharacter = 64;

    /// <summary>What touching one list or dict item costs, in characters: comparing or copying an item is slower than a character.</summary>
    internal const int ItemCost = 8;

    private long steps;
    private long work;

    internal void CheckLength(long length)
    {
        if (length > limits.MaxOutputLength)
        {
            throw Fail($"Output or string value exceeds the limit of {limits.MaxOutputLength} characters");
        }
    }

    /// <summary>Charges the characters or items an operation copies or scans.</summary>
    /// <remarks>The iteration and length limits alone do not bound time: 100,000 iterations that each copy or scan a
    /// 4 Mi-character string (or roll it back on <c>continue</c>), or <c>unique</c> on a 100,000-item list, stay under
    /// both and still run for minutes. A total proportional to the output limit keeps every render fast.</remarks>
    internal void Work(long units)
    {
        work += units;
        long budget = (long)Math.Max(limits.MaxOutputLength, limits.MaxIterations) * WorkPerOutputCharacter;
        if (work > budget)
        {
            throw Fail($"The template exceeded the limit of {budget} characters and items copied or scanned");
        }
    }

    /// <summary>The cost of touching a value once: its length for strings, <see cref="ItemCost"/> per item for lists and
    /// dicts, otherwise 1.</summary>
    internal static long Size(JinjaValue value) => value.Kind switch
    {
        ValueKind.String => value.Str!.Length,
        ValueKind.Array or ValueKind.Tuple => (long)value.List!.Count * ItemCost,
        ValueKind.Object or ValueKind.KeywordArguments => (long)value.Dict!.Count * ItemCost,
        _ => 1,
    };

    private static long TextSize(JinjaValue value) => value.Kind == ValueKind.String ? value.Str!.Length : 1;

    internal void Step()
    {
        if (++steps > limits.MaxIterations)
        {
            throw Fail($"The template exceeded the limit of {limits.MaxIterations} loop iterations and macro calls");
        }
    }

    internal void CheckCollection(long count)
    {
        if (count > limits.MaxIterations)
        {
            throw Fail($"A list would exceed the limit of {limits.MaxIterations} items");
        }
    }
}
