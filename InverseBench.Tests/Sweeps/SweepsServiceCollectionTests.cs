using InverseBench.Sweeps.Planning;
using InverseBench.Sweeps.Reports;
using InverseBench.Sweeps.Results;

namespace InverseBench.Tests.Sweeps;

[TestFixture]
public sealed class SweepsServiceCollectionTests
{
    private static readonly ServiceProviderOptions Strict = new() { ValidateOnBuild = true, ValidateScopes = true };

    [Test]
    public void AddSweeps_ResolvesThePlannerSuggesterIdentityAndReportBuilder_AndAddResultStoreTheStore()
    {
        string folder = Directory.CreateTempSubdirectory("ib-di-").FullName;
        try
        {
            var services = new ServiceCollection().AddSweeps().AddResultStore("sqlite:///" + Path.Combine(folder, "r.db").TrimStart('/'));
            using (var provider = services.BuildServiceProvider(Strict))
            {
                provider.GetRequiredService<ISweepPlanner>().Should().BeOfType<SweepPlanner>();
                provider.GetRequiredService<IBayesSuggester>().Should().BeOfType<TpeSuggester>();
                provider.GetRequiredService<ITrialIdentity>().Should().BeOfType<OverrideListIdentity>();
                provider.GetRequiredService<SweepReportBuilder>().Should().NotBeNull();
                var store = provider.GetRequiredService<IResultStore>();
                store.Should().BeOfType<SqliteResultStore>().Which.FilePath.Should().Be(Path.Combine(folder, "r.db"));
                provider.GetRequiredService<IResultStore>().Should().BeSameAs(store);

                // Drive a sweep without the CLI: plan, register, claim.
                var manifest = provider.GetRequiredService<ISweepPlanner>().Plan(
                    SweepFile.Parse("method: grid\nmetric: {name: psnr}\nparameters: {a: {values: [1, 2]}}", "di.yaml"), new SweepPlanOptions());
                store.RegisterTrials(manifest);
                store.Claim(manifest.Sweep, manifest.Trials[1], WorkerIdentity.Current(), TimeSpan.FromMinutes(1)).Outcome.Should().Be(ClaimOutcome.Claimed);
                store.Trials("di").Select(t => t.Status).Should().Equal(TrialStatus.Pending, TrialStatus.Running);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public void AddSweeps_KeepsTheCallersOwnRegistrations_AndCallingItTwiceIsHarmless()
    {
        var mine = new FixedIdentity();
        var services = new ServiceCollection().AddSingleton<ITrialIdentity>(mine).AddSweeps().AddSweeps();

        using var provider = services.BuildServiceProvider(Strict);

        provider.GetRequiredService<ITrialIdentity>().Should().BeSameAs(mine);
        services.Count(d => d.ServiceType == typeof(ISweepPlanner)).Should().Be(1);
        provider.GetRequiredService<ISweepPlanner>().Plan(
            SweepFile.Parse("method: grid\nmetric: {name: psnr}\nparameters: {a: {values: [1, 2]}}", "x.yaml"), new SweepPlanOptions())
            .Trials.Should().ContainSingle("the planner uses the registered identity, which maps every trial to one configuration");
    }

    [Test]
    public void AddResultStore_RejectsAnEmptyLocation() =>
        FluentActions.Invoking(() => new ServiceCollection().AddResultStore("")).Should().Throw<ArgumentException>();

    private sealed class FixedIdentity : ITrialIdentity
    {
        public string CanonicalConfiguration(IReadOnlyList<string> overrides) => "same";
    }
}
