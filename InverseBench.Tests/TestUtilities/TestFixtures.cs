using System.Text.Json;

namespace InverseBench.Tests.TestUtilities;

/// <summary>
/// Locates the reference fixtures: the folder named by <c>INVERSEBENCH_FIXTURES</c>, else <c>../shared/fixtures</c>
/// relative to the repository root. Tests iterate the manifests rather than hard-coding case names.
/// </summary>
public static class TestFixtures
{
    /// <summary>The environment variable that overrides the fixture root.</summary>
    public const string EnvironmentVariable = "INVERSEBENCH_FIXTURES";

    private static readonly Lazy<string?> RootPath = new(FindRoot);

    /// <summary>The fixture root, or null when it cannot be found.</summary>
    public static string? Root => RootPath.Value;

    /// <summary>The repository root (the folder holding InverseBench.sln).</summary>
    public static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !System.IO.File.Exists(Path.Combine(dir.FullName, "InverseBench.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("InverseBench.sln not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>The path of a fixture folder (e.g. <c>operators/navier_stokes</c>); skips the test when absent.</summary>
    public static string Folder(string relative)
    {
        if (Root is null)
            Assert.Ignore($"Fixtures not found: set {EnvironmentVariable} or place them at ../shared/fixtures beside the repository.");
        string path = Path.Combine(Root!, relative);
        if (!Directory.Exists(path)) Assert.Ignore($"Fixture folder '{relative}' is not in {Root}.");
        return path;
    }

    /// <summary>The parsed <c>manifest.json</c> of a fixture folder.</summary>
    public static JsonElement Manifest(string relative)
    {
        string path = Path.Combine(Folder(relative), "manifest.json");
        using var stream = System.IO.File.OpenRead(path);
        using var doc = JsonDocument.Parse(stream);
        return doc.RootElement.Clone();
    }

    /// <summary>A file inside a fixture folder.</summary>
    public static string FilePath(string relative, string name) => Path.Combine(Folder(relative), name);

    /// <summary>Whether fixtures are present (for <see cref="TestCaseSourceAttribute"/> sources that must not throw).</summary>
    public static bool Available(string relative) =>
        Root is not null && Directory.Exists(Path.Combine(Root, relative));

    private static string? FindRoot()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } env)
            return Directory.Exists(env) ? Path.GetFullPath(env) : null;
        try
        {
            // ../shared/fixtures beside the repository; for git worktrees and nested checkouts, the nearest ancestor's.
            for (var dir = new DirectoryInfo(RepositoryRoot).Parent; dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "shared", "fixtures");
                if (Directory.Exists(candidate)) return candidate;
            }

            return null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
