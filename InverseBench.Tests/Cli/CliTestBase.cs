namespace InverseBench.Tests.Cli;

/// <summary>Gives each CLI test a fresh <see cref="CliHarness"/> (temporary config and experiment folders), removed afterwards.</summary>
public abstract class CliTestBase
{
    /// <summary>The harness of the current test.</summary>
    protected CliHarness Cli { get; private set; } = null!;

    [SetUp]
    public void CreateHarness() => Cli = new CliHarness();

    [TearDown]
    public void DisposeHarness() => Cli.Dispose();
}
