namespace Sllm.Eval;

/// <summary>Precision, recall, F1 and support for one label, or for an average over labels.</summary>
/// <remarks>Immutable; safe to share between threads.</remarks>
public sealed class ClassificationMetrics
{
    /// <summary>Initializes a new instance of the <see cref="ClassificationMetrics"/> class.</summary>
    /// <param name="name">The label, or the average's name (<c>macro avg</c>, <c>weighted avg</c>).</param>
    /// <param name="precision">The precision, in [0, 1].</param>
    /// <param name="recall">The recall, in [0, 1].</param>
    /// <param name="f1Score">The F1 score, in [0, 1].</param>
    /// <param name="support">The number of examples whose expected label this row covers.</param>
    public ClassificationMetrics(string name, double precision, double recall, double f1Score, int support)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentOutOfRangeException.ThrowIfNegative(support);
        Name = name;
        Precision = precision;
        Recall = recall;
        F1Score = f1Score;
        Support = support;
    }

    /// <summary>Gets the label, or the average's name (<c>macro avg</c>, <c>weighted avg</c>).</summary>
    public string Name { get; }

    /// <summary>Gets the precision: true positives over predicted positives (0 when nothing was predicted).</summary>
    public double Precision { get; }

    /// <summary>Gets the recall: true positives over expected positives (0 when nothing was expected).</summary>
    public double Recall { get; }

    /// <summary>Gets the F1 score: the harmonic mean of precision and recall (0 when both are 0).</summary>
    public double F1Score { get; }

    /// <summary>Gets the number of examples whose expected label this row covers.</summary>
    public int Support { get; }

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(
            System.Globalization.CultureInfo.InvariantCulture,
            $"{Name}: precision {Precision:F4}, recall {Recall:F4}, f1 {F1Score:F4}, support {Support}");
}
