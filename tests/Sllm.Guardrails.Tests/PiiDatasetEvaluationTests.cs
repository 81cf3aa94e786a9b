using System.Globalization;
using System.Text.Json;
using Sllm.Testing;
using Xunit.Abstractions;

namespace Sllm.Guardrails;

/// <summary>Span-level precision and recall on presidio-research's synthetic PII set (../shared/datasets/safety/pii.jsonl).</summary>
public sealed class PiiDatasetEvaluationTests(ITestOutputHelper output)
{
    [SharedFact]
    public void Detect_PresidioSyntheticSet_MeetsMeasuredFloors()
    {
        var detector = new PiiDetector();
        var truePositives = new Dictionary<string, int>(StringComparer.Ordinal);
        var predicted = new Dictionary<string, int>(StringComparer.Ordinal);
        var gold = new Dictionary<string, int>(StringComparer.Ordinal);
        int noPiiRows = 0, noPiiRowsFlagged = 0;

        foreach (string line in File.ReadLines(SharedData.PathOf("datasets", "safety", "pii.jsonl")))
        {
            using var doc = JsonDocument.Parse(line);
            JsonElement row = doc.RootElement;
            string text = row.GetProperty("text").GetString()!;
            var goldSpans = new HashSet<(int, int, string)>();
            foreach (JsonElement span in row.GetProperty("spans").EnumerateArray())
            {
                string type = span.GetProperty("type").GetString()!;
                goldSpans.Add((span.GetProperty("start").GetInt32(), span.GetProperty("end").GetInt32(), type));
                Increment(gold, type);
            }

            IReadOnlyList<PiiMatch> matches = detector.Detect(text);
            if (row.GetProperty("label").GetString() == "no_pii")
            {
                noPiiRows++;
                noPiiRowsFlagged += matches.Count > 0 ? 1 : 0;
            }

            foreach (PiiMatch m in matches)
            {
                string type = PiiDetector.EntityName(m.Kind);
                Increment(predicted, type);
                if (goldSpans.Contains((m.Start, m.End, type)))
                {
                    Increment(truePositives, type);
                }
                else
                {
                    output.WriteLine($"FP {type} '{m.Text}' in: {text}");
                }
            }
        }

        var scores = new Dictionary<string, (double Precision, double Recall)>(StringComparer.Ordinal);
        foreach (PiiEntityKind kind in Enum.GetValues<PiiEntityKind>())
        {
            string type = PiiDetector.EntityName(kind);
            int tp = truePositives.GetValueOrDefault(type);
            int p = predicted.GetValueOrDefault(type);
            int g = gold.GetValueOrDefault(type);
            scores[type] = (p == 0 ? 0 : (double)tp / p, g == 0 ? 0 : (double)tp / g);
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{type,-14} exact-span precision {scores[type].Precision:F3} ({tp}/{p})  recall {scores[type].Recall:F3} ({tp}/{g})"));
        }

        output.WriteLine($"no_pii rows flagged: {noPiiRowsFlagged}/{noPiiRows}");

        // Floors are the measured values rounded down (see the package README); a drop means a regression.
        // Measured: every kind 1.000/1.000 except PHONE_NUMBER, precision 62/64 = 0.969 (a driver's licence number
        // and a ZIP+4-like code look like phone numbers), recall 62/62.
        AssertFloor(scores, "EMAIL_ADDRESS", 1.0, 1.0);
        AssertFloor(scores, "CREDIT_CARD", 1.0, 1.0);
        AssertFloor(scores, "IBAN_CODE", 1.0, 1.0);
        AssertFloor(scores, "IP_ADDRESS", 1.0, 1.0);
        AssertFloor(scores, "US_SSN", 1.0, 1.0);
        AssertFloor(scores, "PHONE_NUMBER", 0.95, 1.0);
        Assert.Equal(0, noPiiRowsFlagged);
    }

    private static void AssertFloor(
        Dictionary<string, (double Precision, double Recall)> scores, string type, double precision, double recall)
    {
        Assert.True(scores[type].Precision >= precision, $"{type} precision {scores[type].Precision:F3} < {precision}");
        Assert.True(scores[type].Recall >= recall, $"{type} recall {scores[type].Recall:F3} < {recall}");
    }

    private static void Increment(Dictionary<string, int> counts, string key) =>
        counts[key] = counts.GetValueOrDefault(key) + 1;
}
