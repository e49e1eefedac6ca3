using InverseBench.Cli;

namespace InverseBench.Tests.Cli;

[TestFixture]
public sealed class CliErrorTests : CliTestBase
{
    [Test]
    public void UnknownTopLevelKey_FailsListingTheValidKeys_WithoutStackTrace()
    {
        Cli.RunToy("sed=1").Should().Be(ExitCodes.Usage);
        Cli.Output.Should().Contain("Unknown configuration key 'sed'").And.Contain("seed").And.Contain("num_samples").And.Contain("exp_name");
        Cli.Output.Should().NotContain("   at ");
    }

    [Test]
    public void UnknownNestedKey_FailsListingTheKeysOfThatSection()
    {
        Cli.RunToy("algorithm.method.num_stepz=3").Should().Be(ExitCodes.Usage);
        Cli.Output.Should().Contain("algorithm.method.num_stepz").And.Contain("algorithm.method.num_steps");
    }

    [Test]
    public void AddedKeyThatTheComponentDoesNotRead_IsReportedAsUnknown()
    {
        Cli.RunToy("+algorithm.method.bogus=1").Should().Be(ExitCodes.Usage);
        Cli.Output.Should().Contain("Unknown configuration key(s): algorithm.method.bogus").And.Contain("algorithm.method.num_steps");
    }

    [TestCase("num_samples=abc", "num_samples")]
    [TestCase("seed=1.5", "seed")]
    [TestCase("inference=maybe", "inference")]
    [TestCase("algorithm.method.num_steps=many", "algorithm.method.num_steps")]
    [TestCase("device=gpu", "device")]
    public void ValueOfTheWrongType_FailsNamingTheKey(string overrideText, string key)
    {
        Cli.RunToy(overrideText).Should().Be(ExitCodes.Usage);
        Cli.Output.Should().Contain(key);
        Cli.Output.Should().NotContain("   at ");
    }

    [Test]
    public void AlgorithmWithoutRegisteredSolver_IsNotAvailable_ListingRegisteredSolvers()
    {
        // A config file whose solver no package registers (every shipped one may be implemented by now).
        File.WriteAllText(Path.Combine(Cli.ConfigDir, "algorithm", "unimplemented.yaml"), "name: Unimplemented\nmethod:\n  num_steps: 3\n");
        Cli.Run("run", "--config-dir", Cli.ConfigDir, "problem=" + CliHarness.ToyProblem, "algorithm=unimplemented", "exp_dir=" + Cli.ExpRoot)
            .Should().Be(ExitCodes.Usage);
        Cli.Output.Should().Contain("Algorithm 'unimplemented' is not available: registered solvers are").And.Contain(CliHarness.ToySolver)
            .And.Contain("enkg");
    }

    [Test]
    public void UnknownConfigFile_ListsTheAvailableOnes()
    {
        Cli.Run("run", "--config-dir", Cli.ConfigDir, "problem=nope").Should().Be(ExitCodes.Usage);
        Cli.Output.Should().Contain("There is no problem configuration 'nope'").And.Contain("navier-stokes").And.Contain("inv-scatter");
    }

    [Test]
    public void ArgumentWithoutEquals_IsRejected()
    {
        Cli.Run("run", "--config-dir", Cli.ConfigDir, "seed").Should().Be(ExitCodes.Usage);
        Cli.Output.Should().Contain("write key=value");
    }

    [Test]
    public void Help_DocumentsConfigNamesFallbacksAndExamples()
    {
        Cli.Run("--help").Should().Be(ExitCodes.Success);
        Cli.Output.Should().Contain("inversebench run").And.Contain("navier-stokes").And.Contain("inv-scatter").And.Contain("enkg")
            .And.Contain("gaussian-field").And.Contain("synthetic test samples").And.Contain("overwrite").And.Contain("Examples:");
        Cli.Run("run", "--help").Should().Be(ExitCodes.Success);
        Cli.Output.Should().Contain("Usage: inversebench run").And.Contain("Top-level keys");
    }

    [Test]
    public void List_ShowsConfigFilesAndRegisteredComponents()
    {
        Cli.Run("list", "--config-dir", Cli.ConfigDir).Should().Be(ExitCodes.Success);
        Cli.Output.Should().Contain(CliHarness.ToySolver).And.Contain("gaussian-field").And.Contain("daps");
    }
}
