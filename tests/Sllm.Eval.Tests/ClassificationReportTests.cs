using System.Text.Json;
using Sllm.Testing;

namespace Sllm.Eval;

public sealed class ClassificationReportTests
{
    // scikit-learn's classification_report docstring example: y_true [0,1,2,2,2], y_pred [0,0,2,2,1].
    private static readonly string[] DocExpected = ["class 0", "class 1", "class 2", "class 2", "class 2"];
    private static readonly string[] DocPredicted = ["class 0", "class 0", "class 2", "class 2", "class 1"];

    [Fact]
    public void Create_SklearnDocstringExample_MatchesHandComputedValues()
    {
        var report = ClassificationReport.Create(DocExpected, DocPredicted);

        Assert.Equal(["class 0", "class 1", "class 2"], report.Labels);
        AssertRow(report.PerLabel[0], "class 0", 0.5, 1.0, 2.0 / 3, 1);
        // class 1 is predicted once (wrongly), so precision is 0/1; recall 0/1.
        AssertRow(report.PerLabel[1], "class 1", 0.0, 0.0, 0.0, 1);
        AssertRow(report.PerLabel[2], "class 2", 1.0, 2.0 / 3, 0.8, 3);
        Assert.Equal(0.6, report.Accuracy, 12);
        Assert.Equal(5, report.Support);
        AssertRow(report.MacroAverage, "macro avg", 0.5, (1 + 0 + (2.0 / 3)) / 3, ((2.0 / 3) + 0 + 0.8) / 3, 5);
        AssertRow(report.WeightedAverage, "weighted avg", (0.5 + 0 + 3) / 5, (1 + 0 + 2) / 5.0, ((2.0 / 3) + 0 + 2.4) / 5, 5);
    }

    [Fact]
    public void ToString_SklearnDocstringExample_MatchesSklearnByteForByte()
    {
        const string Expected =
            "              precision    recall  f1-score   support\n" +
            "\n" +
            "     class 0       0.50      1.00      0.67         1\n" +
            "     class 1       0.00      0.00      0.00         1\n" +
            "     class 2       1.00      0.67      0.80         3\n" +
            "\n" +
            "    accuracy                           0.60         5\n" +
            "   macro avg       0.50      0.56      0.49         5\n" +
            "weighted avg       0.70      0.60      0.61         5\n";

        Assert.Equal(Expected, ClassificationReport.Create(DocExpected, DocPredicted).ToString());
    }

    [Fact]
    public void ToString_LongLabelsAndFourDigits_MatchesGolden()
    {
        string[] expected = ["safe", "safe", "unsafe", "unsafe", "unsafe", "needs-human-review", "safe", "unsafe"];
        string[] predicted = ["safe", "unsafe", "unsafe", "unsafe", "safe", "safe", "safe", "unsafe"];

        Golden.Verify(ClassificationReport.Create(expected, predicted).ToString(4), "classification-report-4-digits");
    }

    [Fact]
    public void Create_LabelNeverPredicted_PrecisionIsZeroAndCountsInMacroAverage()
    {
        string[] expected = ["a", "a", "b", "b"];
        string[] predicted = ["a", "a", "a", "a"];

        var report = ClassificationReport.Create(expected, predicted);

        // sklearn's default zero_division ("warn") reports 0 when a label has no predictions.
        AssertRow(report.PerLabel[0], "a", 0.5, 1.0, 2.0 / 3, 2);
        AssertRow(report.PerLabel[1], "b", 0.0, 0.0, 0.0, 2);
        Assert.Equal(0.25, report.MacroAverage.Precision, 12);
        Assert.Equal(0.5, report.Accuracy, 12);
    }

    [Fact]
    public void Create_LabelOnlyPredicted_HasZeroSupportAndZeroRecall()
    {
        var report = ClassificationReport.Create(["a", "a"], ["a", "z"]);

        AssertRow(report.PerLabel[1], "z", 0.0, 0.0, 0.0, 0);
        Assert.Equal(2, report.WeightedAverage.Support);
        // Weighted by support, the zero-support label does not pull the average down.
        Assert.Equal(1.0, report.WeightedAverage.Precision, 12);
    }

    [Fact]
    public void ConfusionMatrix_RowsAreExpectedColumnsPredicted()
    {
        var matrix = ClassificationReport.Create(DocExpected, DocPredicted).ConfusionMatrix;

        int[,] sklearn = { { 1, 0, 0 }, { 1, 0, 0 }, { 0, 1, 2 } };
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                Assert.Equal(sklearn[i, j], matrix[i, j]);
            }
        }

        Assert.Equal(1, matrix["class 1", "class 0"]);
        Assert.Throws<ArgumentException>(() => matrix["class 9", "class 0"]);
        Assert.Throws<ArgumentOutOfRangeException>(() => matrix[3, 0]);
    }

    [Fact]
    public void Create_LabelsSortOrdinally()
    {
        var report = ClassificationReport.Create(["b", "B", "a"], ["a", "B", "b"]);

        Assert.Equal(["B", "a", "b"], report.Labels);
    }

    [Fact]
    public void Create_BadArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => ClassificationReport.Create(null!, ["a"]));
        Assert.Throws<ArgumentException>(() => ClassificationReport.Create(["a"], ["a", "b"]));
        Assert.Throws<ArgumentException>(() => ClassificationReport.Create([], []));
        Assert.Throws<ArgumentNullException>(() => ClassificationReport.Create(["a", null!], ["a", "a"]));
        var report = ClassificationReport.Create(["a"], ["a"]);
        Assert.Throws<ArgumentOutOfRangeException>(() => report.ToString(-1));
    }

    [SharedFact]
    public void Create_TicketsDevMajorityBaseline_ReportsChanceLevel()
    {
        string path = SharedData.PathOf("datasets", "tickets", "dev.jsonl");
        var expected = new List<string>();
        foreach (string line in File.ReadLines(path))
        {
            using var doc = JsonDocument.Parse(line);
            expected.Add(doc.RootElement.GetProperty("label").GetString()!);
        }

        // The trivial baseline: always predict the most frequent training-free label (ties go to the first ordinally).
        string majority = expected.GroupBy(l => l, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).First().Key;
        var report = ClassificationReport.Create(expected, Enumerable.Repeat(majority, expected.Count).ToList());

        Assert.Equal(300, report.Support);
        Assert.Equal(["bug", "feature", "question"], report.Labels);
        // The split is balanced (100 per label), so a constant prediction scores exactly one third.
        Assert.Equal(1.0 / 3, report.Accuracy, 12);
        Assert.Equal(0.0, report.PerLabel[1].Precision);
        Assert.Contains("    accuracy                           0.33       300\n", report.ToString(), StringComparison.Ordinal);
    }

    private static void AssertRow(ClassificationMetrics row, string name, double p, double r, double f1, int support)
    {
        Assert.Equal(name, row.Name);
        Assert.Equal(p, row.Precision, 12);
        Assert.Equal(r, row.Recall, 12);
        Assert.Equal(f1, row.F1Score, 12);
        Assert.Equal(support, row.Support);
    }

    [Fact]
    public void Create_ListsCannotBeChangedThroughACast()
    {
        ClassificationReport report = ClassificationReport.Create(["a", "b"], ["a", "a"]);

        Assert.IsNotType<string[]>(report.Labels);
        Assert.IsNotType<ClassificationMetrics[]>(report.PerLabel);
        Assert.Throws<NotSupportedException>(() => ((IList<string>)report.Labels)[0] = "z");
        Assert.Equal(["a", "b"], report.ConfusionMatrix.Labels);
    }
}
