using InverseBench.Sweeps.Planning;

namespace InverseBench.Tests.Sweeps;

[TestFixture]
public sealed class SweepPlannerTests
{
    private const string GridYaml = """
        name: toy grid
        method: grid
        metric: {name: psnr, goal: maximize}
        parameters:
          algorithm:
            parameters:
              method:
                parameters:
                  guidance_scale: {values: [0.5, 2.0]}
                  num_steps: {min: 1, max: 3}
        command:
          - ${env}
          - python
          - ${program}
          - problem=toy
          - problem.data.id_list="0-1"
          - ${args_no_hyphens}
        """;

    private const string RandomYaml = """
        name: toy-random
        method: random
        metric: {name: relative l2, goal: minimize}
        run_cap: 12
        parameters:
          algorithm.method.lr: {distribution: log_uniform_values, min: 1.0e-4, max: 1.0e-1}
          algorithm.method.steps: {distribution: q_uniform, min: 10, max: 100, q: 10}
          algorithm.method.kind: {values: [a, b, c]}
          algorithm.method.width: {min: 2, max: 5}
        """;

    private static SweepManifest Plan(string yaml, SweepPlanOptions? options = null) =>
        new SweepPlanner().Plan(SweepFile.Parse(yaml, "sweep.yaml"), options ?? new SweepPlanOptions());

    [Test]
    public void AGridSweep_IsTheCartesianProduct_FirstParameterSlowest_WithNestedKeysAsDottedOverrides()
    {
        var manifest = Plan(GridYaml);

        manifest.Sweep.Should().Be("toy grid");
        manifest.Method.Should().Be(SweepMethod.Grid);
        manifest.BaseOverrides.Should().Equal("problem=toy", "problem.data.id_list=\"0-1\"");
        manifest.Trials.Select(t => (t.Parameters["algorithm.method.guidance_scale"], t.Parameters["algorithm.method.num_steps"])).Should().Equal(
            ("0.5", "1"), ("0.5", "2"), ("0.5", "3"), ("2.0", "1"), ("2.0", "2"), ("2.0", "3"));
        manifest.Trials.Select(t => t.Index).Should().Equal(0, 1, 2, 3, 4, 5);
        var first = manifest.Trials[0];
        first.Overrides.Should().Equal(
            "problem=toy", "problem.data.id_list=\"0-1\"", "algorithm.method.guidance_scale=0.5", "algorithm.method.num_steps=1",
            "exp_name=toy_grid-" + first.Id[..12]);
    }

    [Test]
    public void TrialIds_AreTheSha256OfTheResolvedConfiguration_WithoutWhereResultsGo()
    {
        var manifest = Plan(GridYaml);
        var identity = new OverrideListIdentity();

        foreach (var trial in manifest.Trials)
        {
            trial.Id.Should().MatchRegex("^[0-9a-f]{64}$");
            string expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
                System.Text.Encoding.UTF8.GetBytes(identity.CanonicalConfiguration(trial.Overrides))));
            trial.Id.Should().Be(expected, "exp_name does not change results, so it is not part of the id");
        }

        identity.CanonicalConfiguration(["b=2", "a=\"x\"", "exp_name=e", "b=3", "+c=1"]).Should().Be("a=x\nb=3\nc=1\n");
        manifest.Trials.Select(t => t.Id).Should().OnlyHaveUniqueItems();
    }

    [Test]
    public void Planning_IsDeterministic_ByteForByte_AndSurvivesSaveAndLoad()
    {
        string folder = Directory.CreateTempSubdirectory("ib-plan-").FullName;
        try
        {
            var a = Plan(GridYaml, new SweepPlanOptions { Source = "sweep.yaml" });
            var b = Plan(GridYaml, new SweepPlanOptions { Source = "sweep.yaml" });
            a.ToJson().Should().Be(b.ToJson());

            string path = Path.Combine(folder, "m.json");
            a.Save(path);
            var loaded = SweepManifest.Load(path);

            loaded.ToJson().Should().Be(a.ToJson());
            File.ReadAllText(path).Should().Contain("\"method\": \"grid\"").And.Contain("problem.data.id_list=\\\"0-1\\\"");
            loaded.Trial(5).Id.Should().Be(a.Trials[5].Id);
            loaded.Invoking(m => m.Trial(6)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*6 trial(s)*0..5*");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public void TrialsThatResolveToTheSameConfiguration_ArePlannedOnce()
    {
        var manifest = Plan("""
            method: grid
            metric: {name: psnr}
            parameters:
              a: {values: [1, 2, 1]}
              b: {value: x}
            """);

        manifest.Trials.Select(t => t.Parameters["a"]).Should().Equal("1", "2");
    }

    [Test]
    public void AGridOverAContinuousParameter_SaysWhichParameterAndWhy()
    {
        var act = () => Plan("method: grid\nmetric: {name: psnr}\nparameters: {lr: {min: 0.1, max: 1.0}}");

        act.Should().Throw<InvalidOperationException>().WithMessage("*'lr'*continuous*uniform*values*");
    }

    [Test]
    public void ARandomSweep_IsReproducibleFromItsSeed_AndDrawsInsideEachDistribution()
    {
        var a = Plan(RandomYaml, new SweepPlanOptions { Seed = 7 });
        var b = Plan(RandomYaml, new SweepPlanOptions { Seed = 7 });
        var c = Plan(RandomYaml, new SweepPlanOptions { Seed = 8 });

        a.Trials.Should().HaveCount(12, "run_cap is the default count");
        a.ToJson().Should().Be(b.ToJson());
        c.Trials.Select(t => t.Id).Should().NotEqual(a.Trials.Select(t => t.Id));
        foreach (var t in a.Trials)
        {
            double lr = double.Parse(t.Parameters["algorithm.method.lr"], System.Globalization.CultureInfo.InvariantCulture);
            lr.Should().BeInRange(1e-4, 1e-1);
            double steps = double.Parse(t.Parameters["algorithm.method.steps"], System.Globalization.CultureInfo.InvariantCulture);
            (steps % 10).Should().Be(0);
            steps.Should().BeInRange(10, 100);
            t.Parameters["algorithm.method.kind"].Should().BeOneOf("a", "b", "c");
            t.Parameters["algorithm.method.width"].Should().BeOneOf("2", "3", "4", "5");
        }

        // Log-uniform: about as many draws below the geometric middle (~3.2e-3) as above it.
        var many = Plan(RandomYaml, new SweepPlanOptions { Seed = 1, Count = 400 }).Trials
            .Select(t => double.Parse(t.Parameters["algorithm.method.lr"], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        many.Count(v => v < Math.Sqrt(1e-4 * 1e-1)).Should().BeInRange(150, 250);
    }

    [Test]
    public void ARandomSweepWithoutACount_AsksForOne() =>
        FluentActions.Invoking(() => Plan("method: random\nmetric: {name: psnr}\nparameters: {x: {min: 0.0, max: 1.0}}"))
            .Should().Throw<InvalidOperationException>().WithMessage("*without run_cap*--count N*");

    [Test]
    public void ABayesSweep_StartsWithPriorDraws_ThenConcentratesNearTheBestFinishedTrials_Reproducibly()
    {
        var sweep = SweepFile.Load(SweepFileTests.ShippedDps);
        var planner = new SweepPlanner();
        var prior = planner.Plan(sweep, new SweepPlanOptions { Seed = 3, Count = 4 });
        prior.Trials.Should().HaveCount(4);

        // Finished trials: psnr peaks at guidance_scale 20 (maximize).
        var history = Enumerable.Range(0, 30).Select(i => 1.0 + i * 127.0 / 29)
            .Select(g => new ObservedTrial(new Dictionary<string, string> { ["algorithm.method.guidance_scale"] = TrialHash.Format(g) }, 30 - Math.Abs(g - 20) / 4))
            .ToList();
        var options = new SweepPlanOptions { Seed = 3, Count = 8, History = history };
        var suggested = planner.Plan(sweep, options);
        var again = planner.Plan(sweep, options with { History = [.. history.AsEnumerable().Reverse()] });

        again.ToJson().Should().Be(suggested.ToJson(), "suggestions depend on the seed and the set of finished trials, not their order");
        var values = suggested.Trials.Select(t => double.Parse(t.Parameters["algorithm.method.guidance_scale"], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        values.Should().OnlyContain(v => v >= 1.0 && v <= 128.0);
        values.Median().Should().BeInRange(5, 45, "TPE proposes near the good region around 20, not uniformly over [1, 128] (median ~64)");
    }
}

internal static class MedianExtensions
{
    public static double Median(this IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
