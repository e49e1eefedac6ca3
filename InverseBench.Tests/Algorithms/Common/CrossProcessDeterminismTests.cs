using InverseBench.Tests.TestUtilities;

namespace InverseBench.Tests.Algorithms.Common;

/// <summary>
/// The same seed gives bitwise-identical solver output in separate processes: the console entry
/// <c>tests/InverseBench.Tests.Determinism</c> (DPS and EnKG on a seeded tiny problem with the analytic prior) is built once
/// and run in child processes, and the bytes they write are compared (README, "Determinism").
/// </summary>
[TestFixture]
[Category("Determinism")]
public sealed class CrossProcessDeterminismTests
{
    private static string Project => Path.Combine(TestFixtures.RepositoryRoot, "tests", "InverseBench.Tests.Determinism", "InverseBench.Tests.Determinism.csproj");

    private string _dir = string.Empty;
    private string _entry = string.Empty;

    [OneTimeSetUp]
    public void BuildTheEntry()
    {
        _dir = Directory.CreateTempSubdirectory("ib-determinism-").FullName;
        var (code, output) = Run("dotnet", ["build", Project, "-v", "q", "-nologo"], TimeSpan.FromMinutes(8));
        code.Should().Be(0, output);
        (code, output) = Run("dotnet", ["msbuild", Project, "-getProperty:TargetPath", "-nologo"], TimeSpan.FromMinutes(2));
        code.Should().Be(0, output);
        _entry = output.Trim();
        File.Exists(_entry).Should().BeTrue($"the build must produce {_entry}");
    }

    [OneTimeTearDown]
    public void DeleteFolder()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private byte[] Solve(string name, params string[] extra)
    {
        string file = Path.Combine(_dir, name + ".bin");
        var (code, output) = Run("dotnet", [_entry, "--out", file, .. extra], TimeSpan.FromMinutes(3));
        code.Should().Be(0, output);
        return File.ReadAllBytes(file);
    }

    [Test]
    public void SameSeedAndThreadCount_GiveBitwiseIdenticalSamplesInTwoProcesses()
    {
        foreach (string threads in new[] { "1", "2" })
        {
            var first = Solve($"a{threads}", "--seed", "7", "--threads", threads);
            var second = Solve($"b{threads}", "--seed", "7", "--threads", threads);
            first.Should().NotBeEmpty();
            second.Should().Equal(first, $"two processes with seed 7 and {threads} intra-op thread(s) must write the same bytes");
        }
    }

    [Test]
    public void AnotherSeed_GivesOtherSamples()
    {
        var a = Solve("seed7", "--seed", "7", "--threads", "1");
        var b = Solve("seed8", "--seed", "8", "--threads", "1");
        b.Should().NotEqual(a);
    }

    private static (int Code, string Output) Run(string file, IReadOnlyList<string> args, TimeSpan limit) =>
        ChildProcess.Run(file, args, limit);
}
