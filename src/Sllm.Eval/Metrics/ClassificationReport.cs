using System.Globalization;
using System.Text;

namespace Sllm.Eval;

/// <summary>
/// Per-label precision, recall, F1 and support, accuracy, macro and weighted averages and a confusion matrix for a
/// single-label classification run, with scikit-learn's <c>classification_report</c> text layout.
/// </summary>
/// <remarks>
/// <para>
/// Labels are the distinct expected and predicted labels in ordinal string order, as scikit-learn's <c>np.unique</c>
/// sorts them. Zero division follows scikit-learn's default (<c>zero_division="warn"</c>, which reports 0): a label that
/// is never predicted has precision 0, a label that never occurs has recall 0, and F1 is 0 when precision and recall are
/// both 0. Those zeros still count in the macro and weighted averages, as in scikit-learn.
/// </para>
/// <para>Immutable once created; safe to share between threads.</para>
/// </remarks>
public sealed class ClassificationReport
{
    private const string MacroAverageName = "macro avg";
    private const string WeightedAverageName = "weighted avg";

    private ClassificationReport(
        IReadOnlyList<ClassificationMetrics> perLabel,
        ConfusionMatrix confusionMatrix,
        double accuracy,
        int support)
    {
        PerLabel = perLabel;
        ConfusionMatrix = confusionMatrix;
        Accuracy = accuracy;
        Support = support;
        MacroAverage = Average(perLabel, MacroAverageName, weighted: false, support);
        WeightedAverage = Average(perLabel, WeightedAverageName, weighted: true, support);
    }

    /// <summary>Gets the labels, in the order of <see cref="PerLabel"/> and of the confusion matrix.</summary>
    public IReadOnlyList<string> Labels => ConfusionMatrix.Labels;

    /// <summary>Gets one row of metrics per label, in <see cref="Labels"/> order.</summary>
    public IReadOnlyList<ClassificationMetrics> PerLabel { get; }

    /// <summary>Gets the fraction of examples whose predicted label equals the expected one.</summary>
    public double Accuracy { get; }

    /// <summary>Gets the unweighted mean of the per-label metrics (<c>macro avg</c>).</summary>
    public ClassificationMetrics MacroAverage { get; }

    /// <summary>Gets the mean of the per-label metrics weighted by each label's support (<c>weighted avg</c>).</summary>
    public ClassificationMetrics WeightedAverage { get; }

    /// <summary>Gets the number of examples.</summary>
    public int Support { get; }

    /// <summary>Gets the confusion matrix: rows are expected labels, columns predicted labels.</summary>
    public ConfusionMatrix ConfusionMatrix { get; }

    /// <summary>Computes the report from parallel lists of expected and predicted labels.</summary>
    /// <param name="expected">The true label of each example.</param>
    /// <param name="predicted">The predicted label of each example, at the same index.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentNullException">A list, or a label in it, is null.</exception>
    /// <exception cref="ArgumentException">The lists differ in length or are empty.</exception>
    public static ClassificationReport Create(IReadOnlyList<string> expected, IReadOnlyList<string> predicted)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(predicted);
        if (expected.Count != predicted.Count)
        {
            throw new ArgumentException(
                $"expected has {expected.Count} labels but predicted has {predicted.Count}; they must be parallel lists.",
                nameof(predicted));
        }

        if (expected.Count == 0)
        {
            throw new ArgumentException("At least one (expected, predicted) pair is required.", nameof(expected));
        }

        var distinct = new SortedSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < expected.Count; i++)
        {
            distinct.Add(expected[i] ?? throw new ArgumentNullException(nameof(expected), $"Label {i} is null."));
            distinct.Add(predicted[i] ?? throw new ArgumentNullException(nameof(predicted), $"Label {i} is null."));
        }

        string[] labels = [.. distinct];
        var indexByLabel = new Dictionary<string, int>(labels.Length, StringComparer.Ordinal);
        for (int i = 0; i < labels.Length; i++)
        {
            indexByLabel[labels[i]] = i;
        }

        int n = labels.Length;
        int[] counts = new int[n * n];
        int correct = 0;
        for (int i = 0; i < expected.Count; i++)
        {
            int row = indexByLabel[expected[i]];
            int col = indexByLabel[predicted[i]];
            counts[(row * n) + col]++;
            if (row == col)
            {
                correct++;
            }
        }

        var perLabel = new ClassificationMetrics[n];
        for (int k = 0; k < n; k++)
        {
            int truePositives = counts[(k * n) + k];
            int expectedCount = 0;
            int predictedCount = 0;
            for (int j = 0; j < n; j++)
            {
                expectedCount += counts[(k * n) + j];
                predictedCount += counts[(j * n) + k];
            }

            double precision = Divide(truePositives, predictedCount);
            double recall = Divide(truePositives, expectedCount);
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            perLabel[k] = new ClassificationMetrics(labels[k], precision, recall, f1, expectedCount);
        }

        // Read-only views: the report is immutable, so a cast back to an array must not reach its storage.
        var matrix = new ConfusionMatrix(Array.AsReadOnly(labels), counts, indexByLabel);
        return new ClassificationReport(Array.AsReadOnly(perLabel), matrix, (double)correct / expected.Count, expected.Count);
    }

    /// <summary>Formats the report as scikit-learn's <c>classification_report</c> does, with two decimals.</summary>
    /// <returns>The report text, ending with a newline.</returns>
    public override string ToString() => ToString(2);

    /// <summary>Formats the report as scikit-learn's <c>classification_report(digits=...)</c> does.</summary>
    /// <param name="digits">The number of decimals for precision, recall, F1 and accuracy.</param>
    /// <returns>The report text, ending with a newline.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="digits"/> is negative or over 15.</exception>
    public string ToString(int digits)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(digits);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(digits, 15);

        // Same width rule as scikit-learn: the longest label, "weighted avg" or the digit count.
        int width = Math.Max(WeightedAverageName.Length, digits);
        foreach (ClassificationMetrics row in PerLabel)
        {
            width = Math.Max(width, row.Name.Length);
        }

        string number = "F" + digits.ToString(CultureInfo.InvariantCulture);
        var sb = new StringBuilder();
        sb.Append(new string(' ', width)).Append(' ');
        foreach (string header in (ReadOnlySpan<string>)["precision", "recall", "f1-score", "support"])
        {
            sb.Append(' ').Append(header.PadLeft(9));
        }

        sb.Append("\n\n");
        foreach (ClassificationMetrics row in PerLabel)
        {
            AppendRow(sb, row, width, number);
        }

        sb.Append('\n');
        sb.Append("accuracy".PadLeft(width)).Append(' ')
            .Append(' ', 20)
            .Append(' ').Append(Format(Accuracy, number))
            .Append(' ').Append(Support.ToString(CultureInfo.InvariantCulture).PadLeft(9))
            .Append('\n');
        AppendRow(sb, MacroAverage, width, number);
        AppendRow(sb, WeightedAverage, width, number);
        return sb.ToString();
    }

    private static void AppendRow(StringBuilder sb, ClassificationMetrics row, int width, string number)
    {
        sb.Append(row.Name.PadLeft(width)).Append(' ')
            .Append(' ').Append(Format(row.Precision, number))
            .Append(' ').Append(Format(row.Recall, number))
            .Append(' ').Append(Format(row.F1Score, number))
            .Append(' ').Append(row.Support.ToString(CultureInfo.InvariantCulture).PadLeft(9))
            .Append('\n');
    }

    // .NET Core 3.0+ formats the exact binary value with round-half-even, as Python's format() does.
    private static string Format(double value, string number) =>
        value.ToString(number, CultureInfo.InvariantCulture).PadLeft(9);

    private static double Divide(int numerator, int denominator) =>
        denominator == 0 ? 0 : (double)numerator / denominator;

    private static ClassificationMetrics Average(
        IReadOnlyList<ClassificationMetrics> rows, string name, bool weighted, int total)
    {
        double precision = 0, recall = 0, f1 = 0, weightSum = 0;
        foreach (ClassificationMetrics row in rows)
        {
            double w = weighted ? row.Support : 1;
            precision += w * row.Precision;
            recall += w * row.Recall;
            f1 += w * row.F1Score;
            weightSum += w;
        }

        return weightSum == 0
            ? new ClassificationMetrics(name, 0, 0, 0, total)
            : new ClassificationMetrics(name, precision / weightSum, recall / weightSum, f1 / weightSum, total);
    }
}
