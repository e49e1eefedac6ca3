using System.Text.Json;
using InverseBench.Tests.TestUtilities;

namespace InverseBench.Tests.Core.IO.Lmdb;

/// <summary>The cases of the <c>data</c> fixture manifest (LMDB databases written by the C library).</summary>
internal static class LmdbFixtureCases
{
    public const string Folder = "data";
    public static IEnumerable<TestCaseData> Tags() => TestFixtures.Cases(Folder, (manifest, _) =>
        manifest.GetProperty("cases").EnumerateArray().Select(c => new TestCaseData(c.GetProperty("tag").GetString()!)));

    public static JsonElement Case(string tag)
    {
        foreach (var c in TestFixtures.Manifest(Folder).GetProperty("cases").EnumerateArray())
            if (c.GetProperty("tag").GetString() == tag) return c;
        throw new InvalidOperationException($"Case '{tag}' not in the manifest.");
    }

    /// <summary>The case's max-abs tolerance for resized targets ("resized case: max abs &lt;= 1e-5" in its <c>tolerance</c> text).</summary>
    public static double ResizedTolerance(JsonElement c)
    {
        string text = c.GetProperty("tolerance").GetString() ?? "";
        var m = System.Text.RegularExpressions.Regex.Match(text, @"resized case: max abs <= ([0-9.eE+-]+)");
        return m.Success
            ? double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)
            : throw new InvalidDataException($"Case '{c.GetProperty("tag").GetString()}' states no resized tolerance: '{text}'.");
    }

    public static string Path(JsonElement c, string property) => TestFixtures.FilePath(Folder, c.GetProperty(property).GetString()!);
}
