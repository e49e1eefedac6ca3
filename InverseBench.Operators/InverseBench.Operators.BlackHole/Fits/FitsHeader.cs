using System.Globalization;

namespace InverseBench.Operators.BlackHole.Fits;

/// <summary>One 80-character header card: keyword, parsed value text (quotes removed for strings) and whether it was a string.</summary>
/// <param name="Keyword">The keyword (columns 1-8, trimmed).</param>
/// <param name="Value">The value text (string values without quotes and trailing blanks); null for commentary cards.</param>
/// <param name="IsString">True when the value was a quoted string.</param>
public sealed record FitsCard(string Keyword, string? Value, bool IsString);

/// <summary>
/// The header of one HDU (FITS standard 4.0 §4): keyword → value. Typed getters throw <see cref="FitsFormatException"/>
/// naming the file and keyword when a required keyword is missing or not of the expected type.
/// </summary>
public sealed class FitsHeader
{
    private readonly Dictionary<string, FitsCard> _first = new(StringComparer.Ordinal);

    internal FitsHeader(string file, IReadOnlyList<FitsCard> cards)
    {
        File = file;
        Cards = cards;
        foreach (var card in cards)
        {
            if (card.Value is not null) _first.TryAdd(card.Keyword, card);
        }
    }

    /// <summary>The file the header was read from (for messages).</summary>
    public string File { get; }

    /// <summary>All cards in file order (without <c>END</c>).</summary>
    public IReadOnlyList<FitsCard> Cards { get; }

    /// <summary>Whether a value card with this keyword exists.</summary>
    public bool Contains(string keyword) => _first.ContainsKey(keyword);

    /// <summary>A string value (trailing blanks removed), or <paramref name="fallback"/> when absent.</summary>
    public string? GetString(string keyword, string? fallback = null) => _first.TryGetValue(keyword, out var card) ? card.Value : fallback;

    /// <summary>A required floating-point value.</summary>
    public double GetDouble(string keyword) =>
        TryGetDouble(keyword, out double value) ? value : throw Missing(keyword, "a number");

    /// <summary>A floating-point value, or <paramref name="fallback"/> when absent.</summary>
    public double GetDouble(string keyword, double fallback) => TryGetDouble(keyword, out double value) ? value : fallback;

    /// <summary>A required integer value.</summary>
    public long GetLong(string keyword)
    {
        if (!_first.TryGetValue(keyword, out var card) || card.IsString)
            throw Missing(keyword, "an integer");
        if (!long.TryParse(card.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out long value))
            throw new FitsFormatException(File, $"keyword {keyword} = '{card.Value}' is not an integer.");
        return value;
    }

    /// <summary>An integer value, or <paramref name="fallback"/> when absent.</summary>
    public long GetLong(string keyword, long fallback) => Contains(keyword) ? GetLong(keyword) : fallback;

    /// <summary>A logical value (<c>T</c>/<c>F</c>), or <paramref name="fallback"/> when absent.</summary>
    public bool GetBool(string keyword, bool fallback = false)
    {
        if (!_first.TryGetValue(keyword, out var card)) return fallback;
        return card.Value switch
        {
            "T" => true,
            "F" => false,
            _ => throw new FitsFormatException(File, $"keyword {keyword} = '{card.Value}' is not a logical (T or F)."),
        };
    }

    /// <summary>Tries to read a floating-point value (FITS allows a <c>D</c> exponent).</summary>
    public bool TryGetDouble(string keyword, out double value)
    {
        value = 0;
        if (!_first.TryGetValue(keyword, out var card) || card.IsString || card.Value is null) return false;
        string text = card.Value.Replace('D', 'E').Replace('d', 'e');
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value)) return true;
        throw new FitsFormatException(File, $"keyword {keyword} = '{card.Value}' is not a number.");
    }

    private FitsFormatException Missing(string keyword, string what) =>
        new(File, $"required header keyword {keyword} ({what}) is missing.");

    internal static FitsCard ParseCard(string file, string card, long offset)
    {
        string keyword = card[..8].TrimEnd();
        if (card.Length < 10 || card[8] != '=' || card[9] != ' ')
            return new FitsCard(keyword, null, false);
        string rest = card[10..];
        int i = 0;
        while (i < rest.Length && rest[i] == ' ') i++;
        if (i < rest.Length && rest[i] == '\'')
        {
            var text = new System.Text.StringBuilder();
            int j = i + 1;
            while (true)
            {
                if (j >= rest.Length)
                    throw new FitsFormatException(file, $"unterminated string value of keyword {keyword} at byte {offset}.");
                if (rest[j] == '\'')
                {
                    if (j + 1 < rest.Length && rest[j + 1] == '\'') { text.Append('\''); j += 2; continue; }
                    break;
                }

                text.Append(rest[j]);
                j++;
            }

            return new FitsCard(keyword, text.ToString().TrimEnd(), true);
        }

        int slash = rest.IndexOf('/', i);
        string value = (slash >= 0 ? rest[i..slash] : rest[i..]).Trim();
        return new FitsCard(keyword, value.Length == 0 ? null : value, false);
    }
}
