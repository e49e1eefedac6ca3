using InverseBench.Sweeps.Planning;

namespace InverseBench.Tests.Sweeps;

[TestFixture]
public sealed class SweepFileTests
{
    /// <summary>The reference's sweep file as the CLI ships it.</summary>
    public static string ShippedDps => Path.Combine(AppContext.BaseDirectory, "configs", "sweep", "inv-scatter", "dps.yaml");

    [Test]
    public void TheShippedInverseScatteringDpsSweep_IsReadAsTheReferenceWroteIt()
    {
        var sweep = SweepFile.Load(ShippedDps);

        sweep.Name.Should().Be("inv-scatter-dps");
        sweep.Method.Should().Be(SweepMethod.Bayes);
        sweep.Metric.Should().Be(new SweepMetric("psnr", MetricGoal.Maximize));
        var p = sweep.Parameters.Should().ContainSingle().Subject;
        p.Key.Should().Be("algorithm.method.guidance_scale");
        p.Distribution.Should().Be(ParameterDistribution.Uniform, "min 1.0 and max 128.0 are reals");
        (p.Min, p.Max).Should().Be((1.0, 128.0));
        sweep.FixedOverrides.Should().Equal(
            "problem=inv-scatter", "algorithm=dps", "pretrain=inv-scatter", "wandb=True",
            "problem.data.root=\"../data/inv-scatter-val\"", "problem.data.id_list=\"0-2\"");
        sweep.RunCap.Should().BeNull();
    }

    [Test]
    public void EveryShippedSweepFile_Parses()
    {
        var files = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "configs", "sweep"), "*.yaml", SearchOption.AllDirectories);

        files.Should().HaveCountGreaterThan(10);
        foreach (string file in files)
            SweepFile.Load(file).Parameters.Should().NotBeEmpty(file);
    }

    [Test]
    public void NestedParameterBlocks_BecomeDottedKeys_AndValueKindsAreKept()
    {
        var sweep = SweepFile.Parse("""
            method: grid
            metric: {name: relative l2, goal: minimize}
            parameters:
              algorithm:
                parameters:
                  method:
                    parameters:
                      lr: {values: [0.1, 1, 1e-3]}
                      use_ema: {values: [true, false]}
                      scheduler: {values: [cosine, "1"]}
              problem.data.id_list:
                value: 0-2
              seed:
                min: 1
                max: 3
            early_terminate: {type: hyperband}
            """, "nested.yaml");

        sweep.Name.Should().Be("nested", "the file name names a sweep without 'name'");
        sweep.Metric.Goal.Should().Be(MetricGoal.Minimize);
        sweep.Parameters.Select(p => p.Key).Should().Equal(
            "algorithm.method.lr", "algorithm.method.use_ema", "algorithm.method.scheduler", "problem.data.id_list", "seed");
        sweep.Parameters[0].Values.Should().Equal(0.1, 1L, 1e-3);
        sweep.Parameters[1].Values.Should().Equal(true, false);
        sweep.Parameters[2].Values.Should().Equal("cosine", "1");
        sweep.Parameters[3].Distribution.Should().Be(ParameterDistribution.Constant);
        sweep.Parameters[4].Distribution.Should().Be(ParameterDistribution.IntUniform);
        sweep.Parameters[4].GridValues().Should().Equal(1L, 2L, 3L);
        sweep.Ignored.Should().Equal("early_terminate");
    }

    [TestCase("method: grid\nmetric: {name: psnr}\nparameters: {x: {values: [1]}}\nfoo: 1", "unknown top-level key 'foo'")]
    [TestCase("method: hyperband\nmetric: {name: psnr}\nparameters: {x: {values: [1]}}", "method must be grid, random or bayes")]
    [TestCase("method: grid\nparameters: {x: {values: [1]}}", "missing 'metric'")]
    [TestCase("method: grid\nmetric: {name: psnr, goal: best}\nparameters: {x: {values: [1]}}", "metric.goal must be maximize or minimize")]
    [TestCase("method: grid\nmetric: {name: psnr}\nparameters: {x: {distribution: log_uniform_values, min: 0, max: 1}}", "needs min > 0")]
    [TestCase("method: grid\nmetric: {name: psnr}\nparameters: {x: {distribution: gamma, min: 0, max: 1}}", "unknown distribution 'gamma'")]
    [TestCase("method: grid\nmetric: {name: psnr}\nparameters: {x: {values: []}}", "'values' must be a non-empty list")]
    [TestCase("method: grid\nmetric: {name: psnr}\nparameters: {x: {mean: 1}}", "unknown field 'mean'")]
    [TestCase("method: grid\nmetric: [psnr", "invalid YAML")]
    public void InvalidSweepFiles_AreRejected_NamingTheFileAndTheProblem(string yaml, string message)
    {
        var act = () => SweepFile.Parse(yaml, "bad.yaml");

        act.Should().Throw<FormatException>().WithMessage($"bad.yaml*{message}*");
    }

    [Test]
    public void AReversedRange_AsInTheReferencesBlackHolePnpdmSweep_IsTheRangeBetweenTheBounds()
    {
        var sweep = SweepFile.Parse("method: random\nmetric: {name: psnr}\nparameters: {n: {min: 200, max: 20}, lr: {distribution: log_uniform_values, min: 1e-4, max: 1e-6}}", "r.yaml");

        (sweep.Parameters[0].Min, sweep.Parameters[0].Max).Should().Be((20.0, 200.0));
        sweep.Parameters[0].Distribution.Should().Be(ParameterDistribution.IntUniform);
        (sweep.Parameters[1].Min, sweep.Parameters[1].Max).Should().Be((1e-6, 1e-4));
    }

    [Test]
    public void AMissingFile_IsAFileNotFoundError() =>
        FluentActions.Invoking(() => SweepFile.Load("/no/such/sweep.yaml")).Should().Throw<FileNotFoundException>().WithMessage("*sweep.yaml*");
}
