namespace Sllm.Guardrails;

/// <summary>The kinds of personally identifiable information that <see cref="PiiDetector"/> finds.</summary>
/// <remarks>
/// The names follow Microsoft Presidio's entity names (<c>EMAIL_ADDRESS</c>, <c>PHONE_NUMBER</c>, <c>CREDIT_CARD</c>,
/// <c>IBAN_CODE</c>, <c>IP_ADDRESS</c>, <c>US_SSN</c>); <see cref="PiiDetector.Redact(string)"/> writes those names.
/// </remarks>
public enum PiiEntityKind
{
    /// <summary>An e-mail address (<c>EMAIL_ADDRESS</c>).</summary>
    EmailAddress = 0,

    /// <summary>A telephone number in a common national or international format (<c>PHONE_NUMBER</c>).</summary>
    PhoneNumber = 1,

    /// <summary>A payment card number of 12 to 19 digits that passes the Luhn check (<c>CREDIT_CARD</c>).</summary>
    CreditCard = 2,

    /// <summary>An International Bank Account Number that passes the ISO 13616 mod-97 check (<c>IBAN_CODE</c>).</summary>
    IbanCode = 3,

    /// <summary>An IPv4 or IPv6 address (<c>IP_ADDRESS</c>).</summary>
    IpAddress = 4,

    /// <summary>A US Social Security number in the <c>AAA-GG-SSSS</c> form (<c>US_SSN</c>).</summary>
    UsSsn = 5,
}
