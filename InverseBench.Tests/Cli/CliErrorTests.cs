using InverseBench.Cli;

namespace InverseBench.Tests.Cli;

[TestFixture]
public sealed class CliErrorTests
{
    private CliHarness _cli = null!;

    [SetUp]
    public void SetUp() => _cli = new CliHarness();

    [TearDown]
    public void TearDown() => _cli.Dispose();

    [Test]
    public void UnknownTopLevelKey_FailsListingTheValidKeys_WithoutStackTrace()
    {
        _cli.RunToy("sed=1").Should().Be(ExitCodes.Usage);
        _cli.Output.Should().Contain("Unknown configuration key 'sed'").And.Contain("seed").And.Contain("num_samples").And.Contain("exp_name");
        _cli.Output.Should().NotContain("   at ");
    }

    [Test]
    public void UnknownNestedKey_FailsListingTheKeysOfThatSection()
    {
        _cli.RunToy("algorithm.method.num_stepz=3").Should().Be(ExitCodes.Usage);
        _cli.Output.Should().Contain("algorithm.method.num_stepz").And.Contain("algorithm.method.num_steps");
    }

    [Test]
    public void AddedKeyThatTheComponentDoesNotRead_IsReportedAsUnknown()
    {
        _cli.RunToy("+algorithm.method.bogus=1").Should().Be(ExitCodes.Usage);
        _cli.Output.Should().Contain("Unknown configuration key(s): algorithm.method.bogus").And.Contain("algorithm.method.num_steps");
    }

    [TestCase("num_samples=abc", "num_samples")]
    [TestCase("seed=1.5", "seed")]
    [TestCase("inference=maybe", "inference")]
    [TestCase("algorithm.method.num_steps=many", "algorithm.method.num_steps")]
    [TestCase("device=gpu", "device")]
    public void ValueOfTheWrongType_FailsNamingTheKey(string overrideText, string key)
    {
        _cli.RunToy(overrideText).Should().Be(ExitCodes.Usage);
        _cli.Output.Should().Contain(key);
        _cli.Output.Should().NotContain("   at ");
    }

    [Test]
    public void AlgorithmWithoutRegisteredSolver_IsNotAvailable_ListingRegisteredSolvers()
    {
        // A config file whose solver no package registers (every shipped one may be implemented by now).
        File.WriteAllText(Path.Combine(_cli.ConfigDir, "algorithm", "unimplemented.yaml"), "name: Unimplemented\nmethod:\n  num_steps: 3\n");
        _cli.Run("run", "--config-dir", _cli.ConfigDir, "problem=" + CliHarness.ToyProblem, "algorithm=unimplemented", "exp_dir=" + _cli.ExpRoot)
            .Should().Be(ExitCodes.Usage);
        _cli.Output.Should().Contain("Algorithm 'unimplemented' is not available: registered solvers are").And.Contain(CliHarness.ToySolver)
            .And.Contain("enkg");
    }

    [Test]
    public void UnknownConfigFile_ListsTheAvailableOnes()
    {
        _cli.Run("run", "--config-dir", _cli.ConfigDir, "problem=nope").Should().Be(ExitCodes.Usage);
        _cli.Output.Should().Contain("There is no problem configuration 'nope'").And.Contain("navier-stokes").And.Contain("inv-scatter");
    }

    [Test]
    public void ArgumentWithoutEquals_IsRejected()
    {
        _cli.Run("run", "--config-dir", _cli.ConfigDir, "seed").Should().Be(ExitCodes.Usage);
        _cli.Output.Should().Contain("write key=value");
    }

    [Test]
    public void Help_DocumentsConfigNamesFallbacksAndExamples()
    {
        _cli.Run("--help").Should().Be(ExitCodes.Success);
        _cli.Output.Should().Contain("inversebench run").And.Contain("navier-stokes").And.Contain("inv-scatter").And.Contain("enkg")
            .And.Contain("gaussian-field").And.Contain("synthetic test samples").And.Contain("overwrite").And.Contain("Examples:");
        _cli.Run("run", "--help").Should().Be(ExitCodes.Success);
        _cli.Output.Should().Contain("Usage: inversebench run").And.Contain("Top-level keys");
    }

    [Test]
    public void List_ShowsConfigFilesAndRegisteredComponents()
    {
        _cli.Run("list", "--config-dir", _cli.ConfigDir).Should().Be(ExitCodes.Success);
        _cli.Output.Should().Contain(CliHarness.ToySolver).And.Contain("gaussian-field").And.Contain("daps");
    }
}
