namespace Sllm.Cli.Commands;

/// <summary>A clock frozen at a local wall-clock time, for <c>--now</c>.</summary>
internal sealed class FixedClock(DateTime localTime) : TimeProvider
{
    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override DateTimeOffset GetUtcNow() => new(DateTime.SpecifyKind(localTime, DateTimeKind.Utc));
}
