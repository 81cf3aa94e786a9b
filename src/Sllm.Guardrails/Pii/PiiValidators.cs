using System.Net;
using System.Net.Sockets;

namespace Sllm.Guardrails;

/// <summary>Checksums and structure checks that turn a pattern hit into a match.</summary>
internal static class PiiValidators
{
    private static readonly System.Buffers.SearchValues<char> DigitsAndSpace = System.Buffers.SearchValues.Create("0123456789 ");

    /// <summary>The Luhn (mod-10) check over the digits of <paramref name="candidate"/>, ignoring separators.</summary>
    internal static bool IsLuhnValid(ReadOnlySpan<char> candidate)
    {
        int sum = 0;
        int digits = 0;
        for (int i = candidate.Length - 1; i >= 0; i--)
        {
            char c = candidate[i];
            if (!char.IsAsciiDigit(c))
            {
                continue;
            }

            int d = c - '0';
            if ((digits & 1) == 1)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
            digits++;
        }

        return digits is >= 12 and <= 19 && sum % 10 == 0;
    }

    /// <summary>The ISO 13616 check: move the first four characters to the end, letters to 10-35, and take mod 97.</summary>
    internal static bool IsIbanValid(ReadOnlySpan<char> candidate)
    {
        Span<char> compact = stackalloc char[64];
        int n = 0;
        foreach (char c in candidate)
        {
            if (c == ' ')
            {
                continue;
            }

            if (n == compact.Length)
            {
                return false;
            }

            compact[n++] = c;
        }

        // ISO 13616 lengths run from 15 (Norway) to 34.
        if (n is < 15 or > 34)
        {
            return false;
        }

        int remainder = 0;
        for (int i = 0; i < n; i++)
        {
            char c = compact[(i + 4) % n];
            if (char.IsAsciiDigit(c))
            {
                remainder = ((remainder * 10) + (c - '0')) % 97;
            }
            else if (char.IsAsciiLetterUpper(c))
            {
                remainder = ((remainder * 100) + (c - 'A' + 10)) % 97;
            }
            else
            {
                return false;
            }
        }

        return remainder == 1;
    }

    internal static bool IsIPv6(string candidate)
    {
        // The pattern admits only hex digits, colons and dots, so "any non-colon" means "has digits": a bare "::" is
        // technically an address but never personal data.
        return candidate.AsSpan().ContainsAnyExcept(':')
            && IPAddress.TryParse(candidate, out IPAddress? address)
            && address.AddressFamily == AddressFamily.InterNetworkV6;
    }

    /// <summary>Digit count (7-15, E.164's maximum, extension excluded) and a date-shape check.</summary>
    internal static bool IsPlausiblePhone(ReadOnlySpan<char> candidate)
    {
        int extension = candidate.IndexOfAny('x', 'X');
        if (extension < 0)
        {
            extension = candidate.IndexOf("ext", StringComparison.OrdinalIgnoreCase);
        }

        ReadOnlySpan<char> number = extension < 0 ? candidate : candidate[..extension];
        int digits = 0;
        int groups = 0;
        bool inGroup = false;
        foreach (char c in number)
        {
            if (char.IsAsciiDigit(c))
            {
                digits++;
                if (!inGroup)
                {
                    groups++;
                    inGroup = true;
                }
            }
            else
            {
                inGroup = false;
            }
        }

        // A bare run of digits is only a phone number at full national length (10+, e.g. 9498777106); shorter bare
        // runs are far more often licence, order or account numbers.
        int minimum = groups == 1 && !number.Contains('+') ? 10 : 7;
        return digits >= minimum && digits <= 15 && !LooksLikeDate(number, groups);
    }

    /// <summary>
    /// Whether a phone candidate is really the start of a street address: two space-separated numbers (house number,
    /// flat or post code) followed by a capitalised word ("704 1436 Redbud Drive", "76556 29 Rue de Tanger").
    /// </summary>
    internal static bool LooksLikeStreetNumber(string text, int start, int length)
    {
        ReadOnlySpan<char> value = text.AsSpan(start, length);
        if (value.ContainsAnyExcept(DigitsAndSpace) || value.Count(' ') != 1)
        {
            return false;
        }

        int after = start + length;
        return after + 1 < text.Length && text[after] == ' ' && char.IsUpper(text[after + 1]);
    }

    // 2024-05-17, 17.05.2024, 05/17/2024: a four-digit year at one end and one- or two-digit day and month.
    private static bool LooksLikeDate(ReadOnlySpan<char> number, int groups)
    {
        if (groups != 3 || number.IndexOfAny(' ', '(', '+') >= 0)
        {
            return false;
        }

        int first = number.IndexOfAny('-', '.');
        int last = number.LastIndexOfAny('-', '.');
        int a = first;
        int b = last - first - 1;
        int c = number.Length - last - 1;
        return b <= 2 && ((a == 4 && c <= 2) || (a <= 2 && c == 4));
    }
}
