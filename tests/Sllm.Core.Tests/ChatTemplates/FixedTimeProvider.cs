namespace Sllm.ChatTemplates;

/// <summary>A clock frozen at a local wall-clock time (the corpus freezes 2024-07-26 00:00 local).</summary>
internal sealed class FixedTimeProvider(DateTime localTime) : TimeProvider
{
    public static FixedTimeProvider Corpus { get; } = new(new DateTime(2024, 7, 26, 0, 0, 0, DateTimeKind.Unspecified));

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override DateTimeOffset GetUtcNow() => new(DateTime.SpecifyKind(localTime, DateTimeKind.Utc));
}
