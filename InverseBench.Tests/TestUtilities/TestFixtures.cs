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

    /// <summary>The environment variable that makes missing fixtures a failure instead of a skip (<c>.ci/run</c> sets it).</summary>
    public const string RequiredVariable = "INVERSEBENCH_FIXTURES_REQUIRED";

    /// <summary>Whether missing fixture folders, manifests or cases fail the tests (<c>INVERSEBENCH_FIXTURES_REQUIRED=1</c>).</summary>
    public static bool Required => Environment.GetEnvironmentVariable(RequiredVariable) is "1" or "true" or "TRUE" or "True";

    /// <summary>
    /// The path of a fixture folder (e.g. <c>operators/navier_stokes</c>). When it is absent the test is skipped, or fails
    /// when <see cref="Required"/>.
    /// </summary>
    public static string Folder(string relative)
    {
        if (Missing(relative) is { } why) Absent(why);
        return Path.Combine(Root!, relative);
    }

    /// <summary>Why a fixture folder cannot be used (root not found, folder or manifest absent), or null when it can.</summary>
    public static string? Missing(string relative)
    {
        if (Root is null)
        {
            return Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } env
                ? $"Fixture root '{env}' ({EnvironmentVariable}) does not exist."
                : $"Fixtures not found: set {EnvironmentVariable} or place them at ../shared/fixtures beside the repository.";
        }

        string path = Path.Combine(Root, relative);
        if (!Directory.Exists(path)) return $"Fixture folder '{relative}' is not in {Root}.";
        if (!System.IO.File.Exists(Path.Combine(path, "manifest.json"))) return $"Fixture folder '{path}' has no manifest.json.";
        return null;
    }

    /// <summary>
    /// Test cases built from a fixture folder's manifest, for <see cref="TestCaseSourceAttribute"/> sources. When the
    /// folder is absent or <paramref name="build"/> yields no case, the source yields one ignored placeholder case, or
    /// a not-runnable one when <see cref="Required"/> (NUnit reports it as failed with the reason), so a missing or empty fixture set can
    /// never pass silently. The placeholder carries <paramref name="arity"/> null arguments so NUnit accepts it.
    /// </summary>
    /// <param name="relative">The fixture folder, relative to the fixture root.</param>
    /// <param name="build">Builds the cases from the parsed manifest and the folder's full path.</param>
    /// <param name="arity">The number of arguments of the test method.</param>
    public static IEnumerable<TestCaseData> Cases(string relative, Func<JsonElement, string, IEnumerable<TestCaseData>> build, int arity = 1)
    {
        ArgumentNullException.ThrowIfNull(build);
        string? why = Missing(relative);
        List<TestCaseData> cases = [];
        if (why is null)
        {
            string folder = Path.Combine(Root!, relative);
            cases.AddRange(build(Manifest(relative), folder));
            if (cases.Count == 0) why = $"The manifest of fixture folder '{folder}' yields no test case.";
        }

        return OrPlaceholder(cases, why, arity);
    }

    /// <summary>
    /// Like <see cref="Cases"/>, for sources that span the whole fixture root (e.g. every manifest): <paramref name="build"/>
    /// gets the root; a missing root or no case gives the ignored (or, when <see cref="Required"/>, failing) placeholder.
    /// </summary>
    public static IEnumerable<TestCaseData> RootCases(Func<string, IEnumerable<TestCaseData>> build, int arity = 1)
    {
        ArgumentNullException.ThrowIfNull(build);
        string? why = Root is null ? Missing(".") : null;
        List<TestCaseData> cases = [];
        if (why is null)
        {
            cases.AddRange(build(Root!));
            if (cases.Count == 0) why = $"The fixture root '{Root}' yields no test case.";
        }

        return OrPlaceholder(cases, why, arity);
    }

    /// <summary>
    /// Ends the running test because a fixture's content is absent (e.g. a manifest without the entry a test needs): fails when
    /// <see cref="Required"/>, otherwise ignores the test. Never returns.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    public static void Absent(string why)
    {
        if (Required) Assert.Fail(why + $" ({RequiredVariable}=1)");
        Assert.Ignore(why);
        throw new InvalidOperationException(why); // unreachable: both asserts throw
    }

    private static IEnumerable<TestCaseData> OrPlaceholder(List<TestCaseData> cases, string? why, int arity)
    {
        if (why is null) return cases;
        var placeholder = new TestCaseData(new object?[arity]) { TestName = "FixturesMissing" };
        if (Required)
        {
            // A not-runnable case is reported as failed with this reason (a throwing source would only show
            // "TargetInvocationException").
            placeholder.RunState = NUnit.Framework.Interfaces.RunState.NotRunnable;
            placeholder.Properties.Set(NUnit.Framework.Internal.PropertyNames.SkipReason, why + $" ({RequiredVariable}=1)");
            return [placeholder];
        }

        return [placeholder.Ignore(why)];
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

    /// <summary>
    /// Whether a fixture folder is present. Not for test-case sources: a source that yields nothing when this is false
    /// passes silently; use <see cref="Cases"/> instead.
    /// </summary>
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
