using System.Globalization;
using System.Text;

namespace Sllm.ChatTemplates.Jinja;

/// <summary>C <c>strftime</c> with English names, independent of the current culture.</summary>
internal static class Strftime
{
    private static readonly string[] Months =
        ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

    private static readonly string[] Days = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

    public static string Format(DateTimeOffset time, string format)
    {
        var sb = new StringBuilder(format.Length + 16);
        for (int i = 0; i < format.Length; i++)
        {
            char c = format[i];
            if (c != '%' || i + 1 >= format.Length)
            {
                sb.Append(c);
                continue;
            }

            char d = format[++i];
            int hour12 = time.Hour % 12 == 0 ? 12 : time.Hour % 12;
            switch (d)
            {
                case 'a': sb.Append(Days[(int)time.DayOfWeek].AsSpan(0, 3)); break;
                case 'A': sb.Append(Days[(int)time.DayOfWeek]); break;
                case 'b' or 'h': sb.Append(Months[time.Month - 1].AsSpan(0, 3)); break;
                case 'B': sb.Append(Months[time.Month - 1]); break;
                case 'd': Pad(sb, time.Day, 2, '0'); break;
                case 'e': Pad(sb, time.Day, 2, ' '); break;
                case 'H': Pad(sb, time.Hour, 2, '0'); break;
                case 'I': Pad(sb, hour12, 2, '0'); break;
                case 'j': Pad(sb, time.DayOfYear, 3, '0'); break;
                case 'm': Pad(sb, time.Month, 2, '0'); break;
                case 'M': Pad(sb, time.Minute, 2, '0'); break;
                case 'S': Pad(sb, time.Second, 2, '0'); break;
                case 'f': Pad(sb, time.Millisecond * 1000, 6, '0'); break;
                case 'p': sb.Append(time.Hour < 12 ? "AM" : "PM"); break;
                case 'y': Pad(sb, time.Year % 100, 2, '0'); break;
                case 'Y': sb.Append(time.Year.ToString(CultureInfo.InvariantCulture)); break;
                case 'u': sb.Append(time.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)time.DayOfWeek); break;
                case 'w': sb.Append((int)time.DayOfWeek); break;
                case 'z':
                {
                    TimeSpan offset = time.Offset;
                    sb.Append(offset < TimeSpan.Zero ? '-' : '+');
                    Pad(sb, Math.Abs(offset.Hours), 2, '0');
                    Pad(sb, Math.Abs(offset.Minutes), 2, '0');
                    break;
                }

                case 'D': sb.Append(Format(time, "%m/%d/%y")); break;
                case 'F': sb.Append(Format(time, "%Y-%m-%d")); break;
                case 'T': sb.Append(Format(time, "%H:%M:%S")); break;
                case 'R': sb.Append(Format(time, "%H:%M")); break;
                case 'c': sb.Append(Format(time, "%a %b %e %H:%M:%S %Y")); break;
                case 'x': sb.Append(Format(time, "%m/%d/%y")); break;
                case 'X': sb.Append(Format(time, "%H:%M:%S")); break;
                case 'n': sb.Append('\n'); break;
                case 't': sb.Append('\t'); break;
                case '%': sb.Append('%'); break;
                default: sb.Append('%').Append(d); break;
            }
        }

        return sb.ToString();
    }

    private static void Pad(StringBuilder sb, int value, int width, char pad)
    {
        string s = value.ToString(CultureInfo.InvariantCulture);
        sb.Append(pad, Math.Max(0, width - s.Length)).Append(s);
    }
}
