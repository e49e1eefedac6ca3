using System.Globalization;
using System.Text.RegularExpressions;

namespace InverseBench.Core.IO.Lmdb;

/// <summary>Parses the reference's <c>id_list</c> strings (<c>utils.helper.parse_int_list</c>).</summary>
public static partial class IdList
{
    /// <summary>
    /// Splits on <c>,</c>; a part <c>a-b</c> (digits only) expands to the inclusive range <c>a..b</c> (empty when
    /// <c>a &gt; b</c>, like Python's <c>range</c>), any other part is one integer (<c>"0-9"</c> → 0..9, <c>"1,3,5"</c>,
    /// <c>"0-2,7"</c>). Order and duplicates are kept.
    /// </summary>
    /// <exception cref="FormatException">A part is neither an integer nor a range; the message names it.</exception>
    public static IReadOnlyList<int> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>();
        foreach (string part in text.Split(','))
        {
            var m = RangePattern().Match(part);
            if (m.Success)
            {
                int start = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
                int end = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
                for (long i = start; i <= end; i++) ids.Add((int)i);
            }
            else if (int.TryParse(part, NumberStyles.AllowLeadingSign | NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite,
                         CultureInfo.InvariantCulture, out int id))
            {
                ids.Add(id);
            }
            else
            {
                throw new FormatException($"id_list '{text}': '{part}' is neither an integer nor a range 'a-b'.");
            }
        }

        return ids;
    }

    [GeneratedRegex(@"^([0-9]+)-([0-9]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex RangePattern();
}
