using System.Text.RegularExpressions;

namespace Sllm.Guardrails;

/// <summary>The candidate patterns; checksums and structure checks in <see cref="PiiValidators"/> confirm each hit.</summary>
/// <remarks>
/// Patterns are deliberately loose where a checksum follows (cards, IBANs) and strict where none exists. The timeout
/// bounds the cost of a pathological input; every pattern is linear on ordinary text.
/// </remarks>
internal static partial class PiiPatterns
{
    internal const int TimeoutMilliseconds = 2000;

    private const RegexOptions Options = RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture;

    // Local part and domain in the common (not full RFC 5322) form; quoted local parts are too rare to be worth it.
    [GeneratedRegex(
        @"(?<![\w.%+\-])[A-Za-z0-9](?:[A-Za-z0-9._%+\-]{0,62}[A-Za-z0-9_%+\-])?@(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}(?![\w\-]|\.[A-Za-z0-9])",
        Options,
        TimeoutMilliseconds)]
    internal static partial Regex Email();

    // 12-19 digits, optionally grouped by single spaces or dashes; the Luhn check decides.
    [GeneratedRegex(@"(?<![\w\-.+])\d(?:[ \-]?\d){11,18}(?![\w\-]|\.\d)", Options, TimeoutMilliseconds)]
    internal static partial Regex CreditCard();

    // Country code, check digits, then 11-30 alphanumerics, optionally in space-separated groups; mod-97 decides.
    [GeneratedRegex(@"(?<![\w])[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}(?!\w)", Options, TimeoutMilliseconds)]
    internal static partial Regex Iban();

    [GeneratedRegex(
        @"(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?!\w|\.\d)",
        Options,
        TimeoutMilliseconds)]
    internal static partial Regex IPv4();

    // A run of hex groups and colons (with an optional dotted IPv4 tail); IPAddress.TryParse decides.
    [GeneratedRegex(
        @"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|(?:\d{1,3}\.){3}\d{1,3})?(?![\w:]|\.\d)",
        Options,
        TimeoutMilliseconds)]
    internal static partial Regex IPv6();

    // AAA-GG-SSSS with one consistent separator, excluding the never-issued areas 000, 666 and 9xx, group 00 and
    // serial 0000 (SSA's rules), as Presidio does.
    [GeneratedRegex(
        @"(?<![\w\-.])(?!000|666|9)\d{3}(?<sep>[\- .])(?!00)\d{2}\k<sep>(?!0000)\d{4}(?![\w\-]|\.\d)",
        RegexOptions.CultureInvariant,
        TimeoutMilliseconds)]
    internal static partial Regex UsSsn();

    // An optional +country code or (0) trunk prefix, an optional parenthesised area code, then digit runs joined by
    // single spaces, dots or dashes, then an optional extension. Digit runs are atomic and separators mandatory, so a
    // long digit string cannot be re-partitioned (no catastrophic backtracking). Digit counts are checked afterwards.
    [GeneratedRegex(
        @"(?<![\w+\-.(@])(?:\+\d{1,3}[ .\-]?)?(?:\(0\)[ .\-]?)?(?:\(\d{1,5}\)[ .\-]?)?(?>\d{1,15})(?:[ .\-](?>\d{1,10})){0,6}(?:[ ]?(?:x|ext\.?|extension)[ ]?(?>\d{1,6}))?(?![\w@]|[.\-:]\d)",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase,
        TimeoutMilliseconds)]
    internal static partial Regex Phone();
}
