namespace Sllm.Guardrails;

public sealed class PiiDetectorTests
{
    private static readonly PiiDetector Detector = new();

    [Theory]
    [InlineData("Write to jane.doe+news@example.co.uk today.", "jane.doe+news@example.co.uk")]
    [InlineData("Contact: ErikBaader@teleworm.us.", "ErikBaader@teleworm.us")]
    [InlineData("<a_b@sub.mail.example.org>", "a_b@sub.mail.example.org")]
    public void Detect_Email_Found(string text, string expected) => AssertSingle(text, PiiEntityKind.EmailAddress, expected);

    [Theory]
    [InlineData("user@localhost")]
    [InlineData("@handle on social media")]
    [InlineData("a@b.c")]
    [InlineData("version 1.2@3.4")]
    public void Detect_EmailNearMiss_NotFound(string text) => AssertNone(text, PiiEntityKind.EmailAddress);

    [Theory]
    [InlineData("Card 4111 1111 1111 1111 expires soon", "4111 1111 1111 1111")]
    [InlineData("pay with 4454794511390933.", "4454794511390933")]
    [InlineData("amex 3782-822463-10005", "3782-822463-10005")]
    [InlineData("number 4111-1111-1111-1111 12", "4111-1111-1111-1111")]
    public void Detect_CreditCard_Found(string text, string expected) => AssertSingle(text, PiiEntityKind.CreditCard, expected);

    [Theory]
    [InlineData("Card 4111 1111 1111 1112 expires soon")] // Luhn fails
    [InlineData("order 12345678901234567890123")] // too long
    [InlineData("ref 41111111111")] // too short
    public void Detect_CreditCardNearMiss_NotFound(string text) => AssertNone(text, PiiEntityKind.CreditCard);

    [Theory]
    [InlineData("IBAN GB82WEST12345698765432 please", "GB82WEST12345698765432")]
    [InlineData("to GB82 WEST 1234 5698 7654 32.", "GB82 WEST 1234 5698 7654 32")]
    [InlineData("DE89370400440532013000", "DE89370400440532013000")]
    public void Detect_Iban_Found(string text, string expected) => AssertSingle(text, PiiEntityKind.IbanCode, expected);

    [Theory]
    [InlineData("IBAN GB83WEST12345698765432")] // check digits wrong
    [InlineData("DE89370400440532013001")] // one digit changed
    [InlineData("gb82west12345698765432")] // IBANs are written in capitals
    public void Detect_IbanNearMiss_NotFound(string text) => AssertNone(text, PiiEntityKind.IbanCode);

    [Theory]
    [InlineData("from 192.168.0.1.", "192.168.0.1")]
    [InlineData("host 255.255.255.255 up", "255.255.255.255")]
    [InlineData("v6 2001:db8::8a2e:370:7334 now", "2001:db8::8a2e:370:7334")]
    [InlineData("loopback ::1", "::1")]
    [InlineData("mapped ::ffff:192.0.2.128 x", "::ffff:192.0.2.128")]
    [InlineData("fe80:0000:0000:0000:0204:61ff:fe9d:f156", "fe80:0000:0000:0000:0204:61ff:fe9d:f156")]
    public void Detect_IpAddress_Found(string text, string expected) => AssertSingle(text, PiiEntityKind.IpAddress, expected);

    [Theory]
    [InlineData("version 1.2.3.4.5")]
    [InlineData("not 256.1.1.1")]
    [InlineData("at 10:30:00 sharp")]
    [InlineData("std::vector")]
    [InlineData("1:2:3:4:5:6:7:8:9")]
    public void Detect_IpNearMiss_NotFound(string text) => AssertNone(text, PiiEntityKind.IpAddress);

    [Theory]
    [InlineData("Here's my SSN: 460-89-9847", "460-89-9847")]
    [InlineData("ssn 078 05 1120.", "078 05 1120")]
    public void Detect_UsSsn_Found(string text, string expected) => AssertSingle(text, PiiEntityKind.UsSsn, expected);

    [Theory]
    [InlineData("000-12-3456")] // area 000 is never issued
    [InlineData("666-12-3456")]
    [InlineData("912-12-3456")]
    [InlineData("123-00-4567")]
    [InlineData("123-45-0000")]
    [InlineData("123-45 6789")] // mixed separators
    public void Detect_UsSsnNearMiss_NotFound(string text) => AssertNone(text, PiiEntityKind.UsSsn);

    [Theory]
    [InlineData("call 780-999-2181 now", "780-999-2181")]
    [InlineData("tel: +1-903-140-4508x769", "+1-903-140-4508x769")]
    [InlineData("ring (898)666-3621x0135.", "(898)666-3621x0135")]
    [InlineData("office +46 (0)8 928 571 38", "+46 (0)8 928 571 38")]
    [InlineData("mobile 07700 063 966", "07700 063 966")]
    [InlineData("fax 03.93.92.16.85", "03.93.92.16.85")]
    [InlineData("(71) 4233-6306 is mine", "(71) 4233-6306")]
    [InlineData("21 253 109 8211-Office", "21 253 109 8211")]
    [InlineData("Fax: +447700677662", "+447700677662")]
    [InlineData("Phone:\n467 3395\n", "467 3395")]
    [InlineData("call 9498777106 please", "9498777106")]
    public void Detect_Phone_Found(string text, string expected) => AssertSingle(text, PiiEntityKind.PhoneNumber, expected);

    [Theory]
    [InlineData("born in 1977")]
    [InlineData("on 2024-05-17 we met")]
    [InlineData("on 17.05.2024 we met")]
    [InlineData("room 12 45")]
    [InlineData("id 1234567890123456789")]
    [InlineData("Date: 2003-08-28 12:13:52")] // a timestamp, not "2003-08-28 12"
    [InlineData("located at 704 1436 Redbud Drive")] // house number and street
    [InlineData("license number 6940579")] // bare runs under 10 digits
    [InlineData("(99) 12")]
    public void Detect_PhoneNearMiss_NotFound(string text) => AssertNone(text, PiiEntityKind.PhoneNumber);

    [Fact]
    public void Detect_SsnAndIpOutrankPhone()
    {
        IReadOnlyList<PiiMatch> matches = Detector.Detect("ssn 460-89-9847 ip 106.31.73.20");

        Assert.Collection(
            matches,
            m => Assert.Equal(PiiEntityKind.UsSsn, m.Kind),
            m => Assert.Equal(PiiEntityKind.IpAddress, m.Kind));
    }

    [Fact]
    public void Detect_MatchesAreInTextOrderWithExactOffsets()
    {
        const string Text = "Mail a@example.com, card 4111111111111111, call 780-999-2181.";

        IReadOnlyList<PiiMatch> matches = Detector.Detect(Text);

        Assert.Equal(3, matches.Count);
        Assert.True(matches[0].Start < matches[1].Start && matches[1].Start < matches[2].Start);
        foreach (PiiMatch m in matches)
        {
            Assert.Equal(m.Text, Text.Substring(m.Start, m.Length));
        }
    }

    [Fact]
    public void Detect_OnlyEnabledKinds()
    {
        var emailsOnly = new PiiDetector(new PiiDetectorOptions { EntityKinds = [PiiEntityKind.EmailAddress] });

        IReadOnlyList<PiiMatch> matches = emailsOnly.Detect("a@example.com 780-999-2181 4111111111111111");

        Assert.Equal(PiiEntityKind.EmailAddress, Assert.Single(matches).Kind);
        Assert.Equal([PiiEntityKind.EmailAddress], emailsOnly.EntityKinds);
    }

    [Fact]
    public void Redact_ReplacesWithEntityNames()
    {
        Assert.Equal(
            "Mail <EMAIL_ADDRESS> or call <PHONE_NUMBER>; SSN <US_SSN>.",
            Detector.Redact("Mail jo@example.com or call 780-999-2181; SSN 460-89-9847."));
        Assert.Equal("x ***", Detector.Redact("x 192.168.1.1", _ => "***"));
        const string Clean = "Nothing personal here.";
        Assert.Same(Clean, Detector.Redact(Clean));
    }

    [Fact]
    public void Detect_EmptyAndNull()
    {
        Assert.Empty(Detector.Detect(string.Empty));
        Assert.Throws<ArgumentNullException>(() => Detector.Detect(null!));
        Assert.Throws<ArgumentNullException>(() => Detector.Redact("x", null!));
    }

    [Fact]
    public void Options_Validate_RejectsEmptyAndUndefinedKinds()
    {
        Assert.Throws<ArgumentException>(() => new PiiDetector(new PiiDetectorOptions { EntityKinds = [] }));
        Assert.Throws<ArgumentException>(() => new PiiDetector(new PiiDetectorOptions { EntityKinds = [(PiiEntityKind)42] }));
        Assert.Throws<ArgumentOutOfRangeException>(() => PiiDetector.EntityName((PiiEntityKind)42));
    }

    [Fact]
    public void Detect_LongDigitRun_FinishesQuickly()
    {
        // A pathological input for naive phone patterns: thousands of digits with separators.
        string text = string.Concat(Enumerable.Repeat("1234 ", 20_000)) + "x";
        var watch = System.Diagnostics.Stopwatch.StartNew();
        _ = Detector.Detect(text);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }

    private static void AssertSingle(string text, PiiEntityKind kind, string expected)
    {
        PiiMatch match = Assert.Single(Detector.Detect(text));
        Assert.Equal(kind, match.Kind);
        Assert.Equal(expected, match.Text);
        Assert.Equal(expected, text.Substring(match.Start, match.Length));
    }

    private static void AssertNone(string text, PiiEntityKind kind) =>
        Assert.DoesNotContain(Detector.Detect(text), m => m.Kind == kind);

    [Fact]
    public void Detect_TextWithManyMatches_StaysLinear()
    {
        // 100,000 accepted matches: checking each candidate against every accepted one was 5e9 comparisons.
        string text = string.Concat(Enumerable.Repeat("mail a.b@example.com from 192.0.2.1; ", 50_000));

        IReadOnlyList<PiiMatch> matches = new PiiDetector().Detect(text);

        Assert.Equal(100_000, matches.Count);
        Assert.Equal(PiiEntityKind.EmailAddress, matches[0].Kind);
        Assert.Equal(PiiEntityKind.IpAddress, matches[^1].Kind);
        for (int i = 1; i < matches.Count; i++)
        {
            Assert.True(matches[i - 1].End <= matches[i].Start);
        }
    }

    [Fact]
    public void EntityKinds_CannotBeChangedThroughACast()
    {
        var detector = new PiiDetector(new PiiDetectorOptions { EntityKinds = [PiiEntityKind.EmailAddress] });

        Assert.IsNotType<PiiEntityKind[]>(detector.EntityKinds);
        Assert.Throws<NotSupportedException>(() => ((IList<PiiEntityKind>)detector.EntityKinds)[0] = PiiEntityKind.PhoneNumber);
        Assert.Equal([PiiEntityKind.EmailAddress], detector.EntityKinds);
    }
}
