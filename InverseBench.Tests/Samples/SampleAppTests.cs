using System.Globalization;
using System.Text.RegularExpressions;
using InverseBench.Core.IO;
using InverseBench.Tests.TestUtilities;

namespace InverseBench.Tests.Samples;

/// <summary>
/// Runs the sample apps under <c>samples/</c> (built with the solution; this project references them so that building the
/// tests builds them too) and checks what their READMEs promise.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed partial class SampleAppTests
{
    private static readonly Dictionary<string, string> OneThread = new() { ["OMP_NUM_THREADS"] = "1" };

    private string _dir = string.Empty;

    [SetUp]
    public void CreateFolder() => _dir = Directory.CreateTempSubdirectory("ib-sample-").FullName;

    [TearDown]
    public void DeleteFolder()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    [Test]
    public void ResearcherScript_PosteriorMeanBeatsTheUpsampledObservation()
    {
        var (code, output) = Run("InverseBench.Samples.ResearcherScript");
        code.Should().Be(0, output);
        var fields = FieldLine().Matches(output);
        fields.Should().HaveCount(2, output);
        foreach (Match m in fields)
        {
            double posterior = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            double upsampled = double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
            posterior.Should().BeLessThan(upsampled, "DPS with the custom operator must use the prior, not just copy the data");
        }
    }

    [Test]
    public void HostedApp_RunsTheBenchmarkConfiguredInAppSettings_AndCommandLineOverridesReachTheOptions()
    {
        string folder = Path.Combine(_dir, "out");
        var (code, output) = Run("InverseBench.Samples.HostedApp", $"--Benchmark:OutputFolder={folder}", "--InverseBench:Solvers:enkg:num_steps=2");
        code.Should().Be(0, output);
        output.Should().MatchRegex(@"navier-stokes/enkg: relative l2 = [0-9.]+ ± [0-9.]+ over 2 sample\(s\)");
        File.Exists(Path.Combine(folder, "metrics.json")).Should().BeTrue(output);

        (code, output) = Run("InverseBench.Samples.HostedApp", "--InverseBench:Device=gpu0");
        code.Should().NotBe(0, "an invalid device from the configuration must fail the run");
        output.Should().Contain("Device must be 'cpu', 'cuda', 'cuda:N' or 'auto'.");
    }

    [Test]
    public void CheckpointSampling_WritesAReferenceLayoutCheckpoint_LoadsIt_AndDrawsFiniteSamples()
    {
        var (code, output) = Run("InverseBench.Samples.CheckpointSampling");
        code.Should().Be(0, output);
        string checkpoint = Path.Combine(_dir, "exps", "checkpoint-sampling", "ckpts", "ckpt_40.pt");
        File.Exists(checkpoint).Should().BeTrue(output);
        output.Should().Contain($"Loaded {checkpoint}: ");
        using var tensor = Npy.Read(Path.Combine(_dir, "exps", "checkpoint-sampling", "samples.npy"));
        tensor.shape.Should().Equal(4L, 1L, 16L, 16L);
        tensor.isfinite().all().item<bool>().Should().BeTrue();
        tensor.std().item<float>().Should().BeGreaterThan(0.1f, "samples of a trained prior are not constant");
    }

    /// <summary>Runs the built sample in the test's folder (the samples write their outputs under the working directory).</summary>
    private (int Code, string Output) Run(string name, params string[] args)
    {
        string entry = EntryOf(name);
        return ChildProcess.Run("dotnet", [entry, .. args], TimeSpan.FromMinutes(3), _dir, OneThread);
    }

    private static string EntryOf(string name)
    {
        string project = Path.Combine(TestFixtures.RepositoryRoot, "samples", name, name + ".csproj");
#if DEBUG
        const string configuration = "Debug";
#else
        const string configuration = "Release";
#endif
        // Evaluation only (no build): the solution build, or this project's reference, has built it.
        var (code, output) = ChildProcess.Run("dotnet", ["msbuild", project, "-getProperty:TargetPath", $"-p:Configuration={configuration}", "-nologo"],
            TimeSpan.FromMinutes(1));
        code.Should().Be(0, output);
        string entry = output.Trim();
        File.Exists(entry).Should().BeTrue($"{name} must be built (dotnet build InverseBench.sln) at {entry}");
        return entry;
    }

    [GeneratedRegex(@"field \d+: relative L2 of the posterior mean ([0-9.]+), of the upsampled observation ([0-9.]+)")]
    private static partial Regex FieldLine();
}
