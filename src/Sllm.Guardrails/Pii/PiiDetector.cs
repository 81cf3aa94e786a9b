using System.Text;
using System.Text.RegularExpressions;

namespace Sllm.Guardrails;

/// <summary>
/// Finds e-mail addresses, phone numbers, payment card numbers, IBANs, IP addresses and US Social Security numbers in
/// text with source-generated regular expressions confirmed by checksums (Luhn, ISO 13616 mod-97) and structure checks.
/// </summary>
/// <remarks>
/// <para>
/// Pattern-based, in the manner of Presidio's pattern recognizers: it needs no model and no network. Names, places and
/// organisations need a named-entity model and are not detected. Phone numbers have no checksum, so that kind is the
/// least precise: a 7-15 digit number written like a phone number is reported as one.
/// </para>
/// <para>
/// When two candidates overlap, the kind with the stronger evidence wins, in this order: e-mail, IBAN, card, SSN, IP
/// address, phone. Matches never overlap and are returned in text order.
/// </para>
/// <para>
/// Immutable and thread-safe: one instance can serve concurrent callers. Each regular expression runs with a
/// two-second timeout per match; a <see cref="RegexMatchTimeoutException"/> escapes only for adversarial input.
/// </para>
/// </remarks>
public sealed class PiiDetector
{
    // Priority order for overlap resolution: checksummed or unambiguous kinds first.
    private static readonly PiiEntityKind[] Priority =
    [
        PiiEntityKind.EmailAddress,
        PiiEntityKind.IbanCode,
        PiiEntityKind.CreditCard,
        PiiEntityKind.UsSsn,
        PiiEntityKind.IpAddress,
        PiiEntityKind.PhoneNumber,
    ];

    private readonly PiiEntityKind[] enabled;

    /// <summary>Initializes a new instance of the <see cref="PiiDetector"/> class.</summary>
    /// <param name="options">Which kinds to look for; null looks for every kind.</param>
    /// <exception cref="ArgumentException">The options are invalid (see <see cref="PiiDetectorOptions.Validate"/>).</exception>
    public PiiDetector(PiiDetectorOptions? options = null)
    {
        options ??= new PiiDetectorOptions();
        options.Validate();
        var wanted = new HashSet<PiiEntityKind>(options.EntityKinds);
        enabled = Array.FindAll(Priority, wanted.Contains);
        EntityKinds = Array.AsReadOnly(enabled);
    }

    /// <summary>Gets the kinds this detector looks for, in overlap-priority order.</summary>
    /// <remarks>A read-only view: casting it back to an array cannot change what the detector looks for.</remarks>
    public IReadOnlyList<PiiEntityKind> EntityKinds { get; }

    /// <summary>Finds the personally identifiable information in <paramref name="text"/>.</summary>
    /// <param name="text">The text to search.</param>
    /// <returns>The matches in text order; none overlap. Empty when nothing is found.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    public IReadOnlyList<PiiMatch> Detect(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var accepted = new List<PiiMatch>();
        if (text.Length == 0)
        {
            return accepted;
        }

        // Which characters accepted matches cover: checking a candidate against it costs its length, where scanning the
        // accepted list made text with many matches (100,000 e-mail addresses) quadratic.
        bool[] covered = new bool[text.Length];
        foreach (PiiEntityKind kind in enabled)
        {
            foreach (PiiMatch candidate in Candidates(kind, text))
            {
                Span<bool> span = covered.AsSpan(candidate.Start, candidate.Length);
                if (!span.Contains(true))
                {
                    span.Fill(true);
                    accepted.Add(candidate);
                }
            }
        }

        accepted.Sort(static (a, b) => a.Start.CompareTo(b.Start));
        return accepted;
    }

    /// <summary>Replaces each match with its Presidio entity name in angle brackets, e.g. <c>&lt;EMAIL_ADDRESS&gt;</c>.</summary>
    /// <param name="text">The text to redact.</param>
    /// <returns>The text with every match replaced; the input itself when nothing is found.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    public string Redact(string text) => Redact(text, static m => "<" + EntityName(m.Kind) + ">");

    /// <summary>Replaces each match with the text <paramref name="replacement"/> returns for it.</summary>
    /// <param name="text">The text to redact.</param>
    /// <param name="replacement">Returns the replacement for one match (it may be empty).</param>
    /// <returns>The text with every match replaced; the input itself when nothing is found.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> or <paramref name="replacement"/> is null.</exception>
    public string Redact(string text, Func<PiiMatch, string> replacement)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(replacement);
        IReadOnlyList<PiiMatch> matches = Detect(text);
        if (matches.Count == 0)
        {
            return text;
        }

        var sb = new StringBuilder(text.Length);
        int position = 0;
        foreach (PiiMatch match in matches)
        {
            sb.Append(text, position, match.Start - position).Append(replacement(match));
            position = match.End;
        }

        return sb.Append(text, position, text.Length - position).ToString();
    }

    /// <summary>Gets Presidio's name for <paramref name="kind"/>, e.g. <c>EMAIL_ADDRESS</c>.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>The entity name.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kind"/> is not defined.</exception>
    public static string EntityName(PiiEntityKind kind) => kind switch
    {
        PiiEntityKind.EmailAddress => "EMAIL_ADDRESS",
        PiiEntityKind.PhoneNumber => "PHONE_NUMBER",
        PiiEntityKind.CreditCard => "CREDIT_CARD",
        PiiEntityKind.IbanCode => "IBAN_CODE",
        PiiEntityKind.IpAddress => "IP_ADDRESS",
        PiiEntityKind.UsSsn => "US_SSN",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Undefined PII entity kind."),
    };

    private static IEnumerable<PiiMatch> Candidates(PiiEntityKind kind, string text) => kind switch
    {
        PiiEntityKind.EmailAddress => Matches(PiiPatterns.Email(), kind, text, null),
        PiiEntityKind.IbanCode => Matches(PiiPatterns.Iban(), kind, text, static s => PiiValidators.IsIbanValid(s), ' '),
        PiiEntityKind.CreditCard => Matches(PiiPatterns.CreditCard(), kind, text, static s => PiiValidators.IsLuhnValid(s), ' ', '-'),
        PiiEntityKind.UsSsn => Matches(PiiPatterns.UsSsn(), kind, text, null),
        // IPv6 first: an IPv4-mapped address (::ffff:192.0.2.1) must not lose its prefix to the IPv4 pattern.
        PiiEntityKind.IpAddress => Matches(PiiPatterns.IPv6(), kind, text, static s => PiiValidators.IsIPv6(s))
            .Concat(Matches(PiiPatterns.IPv4(), kind, text, null)),
        PiiEntityKind.PhoneNumber => PhoneMatches(text),
        _ => [],
    };

    // When the whole hit fails its check, a prefix ending at a group separator may still pass: a card number followed
    // by an unrelated number ("4111 1111 1111 1111 12") must not hide the card.
    private static IEnumerable<PiiMatch> Matches(
        Regex regex, PiiEntityKind kind, string text, Func<string, bool>? isValid, params char[] groupSeparators)
    {
        for (Match m = regex.Match(text); m.Success; m = m.NextMatch())
        {
            string value = m.Value;
            while (isValid is not null && !isValid(value))
            {
                int cut = groupSeparators.Length == 0 ? -1 : value.LastIndexOfAny(groupSeparators);
                value = cut > 0 ? value[..cut] : string.Empty;
                if (value.Length == 0)
                {
                    break;
                }
            }

            if (value.Length > 0)
            {
                yield return new PiiMatch(kind, m.Index, value);
            }
        }
    }

    private static IEnumerable<PiiMatch> PhoneMatches(string text)
    {
        foreach (PiiMatch m in Matches(PiiPatterns.Phone(), PiiEntityKind.PhoneNumber, text, static s => PiiValidators.IsPlausiblePhone(s)))
        {
            if (!PiiValidators.LooksLikeStreetNumber(text, m.Start, m.Length))
            {
                yield return m;
            }
        }
    }

}
