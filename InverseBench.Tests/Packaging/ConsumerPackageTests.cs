using InverseBench.Tests.TestUtilities;

namespace InverseBench.Tests.Packaging;

/// <summary>
/// The consumer checks (eng/consumer-check.sh): packs the solution into a local folder feed, then outside the repository
/// (a) builds and runs a console app on the Operators.NavierStokes, Algorithms and Evaluation packages that solves a tiny
/// problem with the fluent API, and (b) installs the <c>inversebench</c> tool from the feed and runs a tiny solve. Part of
/// the default test run (CI); about 4 minutes on the 2-core machine. Run it alone with <c>--filter Category=Packaging</c>.
/// </summary>
[TestFixture]
[Category("Packaging")]
[NonParallelizable]
public sealed class ConsumerPackageTests
{
    [Test]
    public void PackedPackagesAndTool_WorkInAFreshFolderOutsideTheRepository()
    {
        string script = Path.Combine(TestFixtures.RepositoryRoot, "eng", "consumer-check.sh");
        string work = Directory.CreateTempSubdirectory("ib-consumer-").FullName;
        try
        {
            var (code, output) = ChildProcess.Run("bash", [script, work], TimeSpan.FromMinutes(20));
            code.Should().Be(0, output);
            var lines = output.Split('\n').Select(l => l.Trim()).ToArray();
            lines.Should().Contain("consumer: OK", output);
            lines.Should().Contain(l => l.StartsWith("consumer: sum=3 relative L2 = ", StringComparison.Ordinal), output);
            lines.Should().Contain(l => l.StartsWith("tool: installed inversebench ", StringComparison.Ordinal), output);
            lines.Should().Contain(l => l.StartsWith("tool: OK, ", StringComparison.Ordinal), output);
            lines.Should().NotContain(l => l.Contains("FAILED", StringComparison.Ordinal), output);
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
