using System.Text.Json;
using InverseBench.Tests.TestUtilities;

namespace InverseBench.Tests.Core.IO.Lmdb;

/// <summary>The cases of the <c>data</c> fixture manifest (LMDB databases written by the C library).</summary>
internal static class LmdbFixtureCases
{
    public const string Folder = "data";
    public const string Missing = "fixtures-missing";

    public static IEnumerable<string> Tags()
    {
        if (!TestFixtures.Available(Folder))
        {
            yield return Missing;
            yield break;
        }

        foreach (var c in TestFixtures.Manifest(Folder).GetProperty("cases").EnumerateArray())
            yield return c.GetProperty("tag").GetString()!;
    }

    public static JsonElement Case(string tag)
    {
        if (tag == Missing) Assert.Ignore("data fixtures are not available.");
        foreach (var c in TestFixtures.Manifest(Folder).GetProperty("cases").EnumerateArray())
            if (c.GetProperty("tag").GetString() == tag) return c;
        throw new InvalidOperationException($"Case '{tag}' not in the manifest.");
    }

    public static string Path(JsonElement c, string property) => TestFixtures.FilePath(Folder, c.GetProperty(property).GetString()!);
}
