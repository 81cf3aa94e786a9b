namespace Sllm.Eval;

/// <summary>Counts of (expected, predicted) label pairs: rows are expected labels, columns predicted labels.</summary>
/// <remarks>
/// The layout is scikit-learn's <c>confusion_matrix</c>: entry (i, j) counts examples whose expected label is
/// <c>Labels[i]</c> and whose predicted label is <c>Labels[j]</c>. Immutable; safe to share between threads.
/// </remarks>
public sealed class ConfusionMatrix
{
    private readonly int[] counts;
    private readonly Dictionary<string, int> indexByLabel;

    internal ConfusionMatrix(IReadOnlyList<string> labels, int[] counts, Dictionary<string, int> indexByLabel)
    {
        Labels = labels;
        this.counts = counts;
        this.indexByLabel = indexByLabel;
    }

    /// <summary>Gets the labels, in row (and column) order.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>Gets the count of examples with expected label row <paramref name="expectedIndex"/> predicted as column <paramref name="predictedIndex"/>.</summary>
    /// <param name="expectedIndex">The row: an index into <see cref="Labels"/>.</param>
    /// <param name="predictedIndex">The column: an index into <see cref="Labels"/>.</param>
    /// <returns>The number of such examples.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside <see cref="Labels"/>.</exception>
    public int this[int expectedIndex, int predictedIndex]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(expectedIndex);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(expectedIndex, Labels.Count);
            ArgumentOutOfRangeException.ThrowIfNegative(predictedIndex);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(predictedIndex, Labels.Count);
            return counts[(expectedIndex * Labels.Count) + predictedIndex];
        }
    }

    /// <summary>Gets the count of examples expected as <paramref name="expected"/> and predicted as <paramref name="predicted"/>.</summary>
    /// <param name="expected">An expected label.</param>
    /// <param name="predicted">A predicted label.</param>
    /// <returns>The number of such examples.</returns>
    /// <exception cref="ArgumentException">A label is not in <see cref="Labels"/>.</exception>
    public int this[string expected, string predicted] => this[IndexOf(expected, nameof(expected)), IndexOf(predicted, nameof(predicted))];

    private int IndexOf(string label, string paramName)
    {
        ArgumentNullException.ThrowIfNull(label, paramName);
        return indexByLabel.TryGetValue(label, out int index)
            ? index
            : throw new ArgumentException($"'{label}' is not one of the matrix's labels.", paramName);
    }
}
