using System.Diagnostics;
using InverseBench.Tests.TestUtilities;

namespace InverseBench.Tests.Packaging;

/// <summary>
/// Packs InverseBench.Core, builds a console app outside the repository that references it plus TorchSharp-cpu, and runs
/// a plain TorchSharp tensor op (eng/consumer-check.sh). Explicit: it restores packages and takes about two minutes.
/// </summary>
[Explicit("Packs and restores a consumer app (~2 min); run with --filter Category=Packaging.")]
[Category("Packaging")]
public sealed class ConsumerPackageTests
{
    [Test]
    public void ConsumerApp_ReferencingThePackedCore_RunsATensorOpWithNoExtraStep()
    {
        string script = Path.Combine(TestFixtures.RepositoryRoot, "eng", "consumer-check.sh");
        string work = Directory.CreateTempSubdirectory("ib-consumer-").FullName;
        var psi = new ProcessStartInfo("bash", [script, work]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(psi)!;
        string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        process.ExitCode.Should().Be(0, output);
        output.Should().Contain("sum=3");
    }
}
