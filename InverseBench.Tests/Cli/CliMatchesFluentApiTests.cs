using InverseBench.Cli;
using InverseBench.Core.DependencyInjection;
using InverseBench.Core.Fluent;
using InverseBench.Core.IO;
using InverseBench.Core.Priors;
using InverseBench.Evaluation.NavierStokes;
using InverseBench.Operators.NavierStokes;
using static TorchSharp.torch;

namespace InverseBench.Tests.Cli;

/// <summary>One engine: the CLI and researcher code give bitwise-identical reconstructions for the same settings and seed.</summary>
[TestFixture]
[Category("Integration")]
public sealed class CliMatchesFluentApiTests : CliTestBase
{
    [Test]
    public void NavierStokesWithEnkg_FromTheCli_EqualsTheFluentApi_BitForBit()
    {
        const int resolution = 16, steps = 2, particles = 8;
        const long seed = 4;
        Cli.RunDefaults("run", "--config-dir", Cli.ConfigDir, "problem=navier-stokes", "algorithm=enkg", "pretrain=navier-stokes",
                "exp_dir=" + Cli.ExpRoot, $"seed={seed}", $"problem.model.resolution={resolution}", $"problem.data.resolution={resolution}",
                "problem.data.id_list=0-1", $"algorithm.method.num_steps={steps}", $"algorithm.method.num_samples={particles}",
                $"algorithm.method.batch_size={particles}")
            .Should().Be(ExitCodes.Success, Cli.Output);
        string dir = Path.Combine(Cli.ExpRoot, "navier-stokes-ds2", "EnKG", "default");

        // The same run in researcher code: the reference defaults of navier-stokes.yaml and enkg.yaml, the problem's own
        // synthetic test samples (the data folder is absent) and the library's analytic-prior rule.
        var factory = NavierStokesServiceCollectionExtensions.Factory;
        var op = new NavierStokesOperator(new NavierStokesOptions { Resolution = resolution }, CPU);
        var data = ComponentSetup.SyntheticData(factory, op, seed, ["0", "1"]);
        var prior = ComponentSetup.AnalyticPrior(AnalyticPriorRegistration.GaussianFieldFactory, factory, op, CPU, seed).Prior;
        using var run = InverseBenchRun.Create(seed)
            .Problem(_ => new ProblemSelection(op, data, new NavierStokesEvaluator()))
            .Prior(_ => prior)
            .Solver(s => s.Enkg(o => { o.NumSteps = steps; o.EnsembleSize = particles; o.BatchSize = particles; }))
            .Build();
        using var report = run.Execute();

        foreach (var sample in report.Samples)
        {
            using var fromCli = Npy.Read(Path.Combine(dir, $"result_{sample.Id}_reconstruction.npy"));
            fromCli.eq(sample.Reconstruction).all().item<bool>().Should().BeTrue($"sample {sample.Id} must be bitwise identical");
            using var observation = Npy.Read(Path.Combine(dir, $"result_{sample.Id}_observation.npy"));
            observation.eq(sample.Observation).all().item<bool>().Should().BeTrue();
        }
    }
}
