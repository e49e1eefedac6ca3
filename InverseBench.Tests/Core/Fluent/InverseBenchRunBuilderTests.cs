using InverseBench.Core.Abstractions;
using InverseBench.Core.Fluent;
using InverseBench.Tests.Core.Fakes;
using static TorchSharp.torch;

namespace InverseBench.Tests.Core.Fluent;

public sealed class InverseBenchRunBuilderTests
{
    [Test]
    public void EndToEnd_ToyLinearProblem_ProducesMetricsForEverySample()
    {
        using var op = new MaskOperator(noise: 0.01);
        var progress = new List<RunProgress>();
        using var run = InverseBenchRun.Create(seed: 3)
            .Problem(p => p.Custom(op, ListDataset.Random(3), new MseEvaluator()))
            .Prior(p => p.Custom(new IsotropicGaussianPrior()))
            .Solver(s => s.Custom(new WienerSolver(new WienerOptions { Steps = 4 })))
            .SamplesPerObservation(2)
            .Build();

        using var report = run.Execute(new SynchronousProgress<RunProgress>(progress.Add));

        report.Samples.Should().HaveCount(3);
        report.Samples.Should().OnlyContain(s => s.Metrics.ContainsKey("mse") && double.IsFinite(s.Metrics["mse"]));
        report.Samples[0].Reconstruction.shape.Should().Equal(2, 1, 4, 4);
        report.Samples[0].Counts.NetworkCalls.Should().Be(4);
        report.Aggregate["mse"].Count.Should().Be(3);
        report.Aggregate["mse"].Mean.Should().BeApproximately(report.Samples.Average(s => s.Metrics["mse"]), 1e-12);
        progress.Count(p => p.Step is not null).Should().Be(12, "4 steps per sample, 3 samples");
    }

    [Test]
    public void SameSeed_GivesTheSameReconstructions()
    {
        Tensor RunOnce()
        {
            using var op = new MaskOperator(noise: 0.05);
            using var run = InverseBenchRun.Create(seed: 11)
                .Problem(p => p.Custom(op, ListDataset.Random(1)))
                .Prior(p => p.Custom(new IsotropicGaussianPrior()))
                .Solver(s => s.Custom(new WienerSolver(new WienerOptions())))
                .Build();
            using var report = run.Execute();
            return report.Samples[0].Reconstruction.clone();
        }

        using var a = RunOnce();
        using var b = RunOnce();
        a.eq(b).all().item<bool>().Should().BeTrue();
    }

    [Test]
    public void Build_RefusesASolverWhoseRequirementsTheOperatorLacks()
    {
        using var op = new GradientFreeOperator();
        var act = () => InverseBenchRun.Create()
            .Problem(p => p.Custom(op, ListDataset.Random(1)))
            .Prior(p => p.Custom(new IsotropicGaussianPrior()))
            .Solver(s => s.Custom(new WienerSolver(new WienerOptions())))
            .Build();
        act.Should().Throw<SolverRequirementException>()
            .WithMessage("Solver 'toy-wiener' cannot run on problem 'gradient-free': it needs a linear operator with an adjoint (ILinearOperator), which GradientFreeOperator does not provide it.");
    }

    [Test]
    public void Build_RefusesAMissingPrior()
    {
        using var op = new MaskOperator();
        var act = () => InverseBenchRun.Create()
            .Problem(p => p.Custom(op, ListDataset.Random(1)))
            .Solver(s => s.Custom(new WienerSolver(new WienerOptions())))
            .Build();
        act.Should().Throw<SolverRequirementException>().WithMessage("*needs a diffusion prior*the run has none*");
    }

    [Test]
    public void Build_RefusesAPriorOfTheWrongResolution()
    {
        using var op = new MaskOperator(n: 4);
        var act = () => InverseBenchRun.Create()
            .Problem(p => p.Custom(op, ListDataset.Random(1)))
            .Prior(p => p.Custom(new IsotropicGaussianPrior(n: 8)))
            .Solver(s => s.Custom(new WienerSolver(new WienerOptions())))
            .Build();
        act.Should().Throw<InvalidOperationException>().WithMessage("*generates [1, 8, 8]*expects [1, 4, 4]*");
    }

    [Test]
    public void Builder_IsSealedAfterBuild()
    {
        using var op = new MaskOperator();
        var builder = InverseBenchRun.Create()
            .Problem(p => p.Custom(op, ListDataset.Random(1)))
            .Prior(p => p.Custom(new IsotropicGaussianPrior()))
            .Solver(s => s.Custom(new WienerSolver(new WienerOptions())));
        using var run = builder.Build();
        var act = () => builder.SamplesPerObservation(3);
        act.Should().Throw<InvalidOperationException>().WithMessage("*already built*");
    }

    [Test]
    public void InvalidSolverOptions_FailWhenTheSolverIsCreated_ListingEveryProblem()
    {
        var act = () => new WienerSolver(new WienerOptions { PriorSigma = -1, Steps = 0 });
        act.Should().Throw<ArgumentException>()
            .WithMessage("Invalid WienerOptions for solver 'toy-wiener': PriorSigma must be > 0; Steps must be ≥ 1.");
    }

    [Test]
    public void Cancellation_StopsTheRun()
    {
        using var op = new MaskOperator();
        using var run = InverseBenchRun.Create()
            .Problem(p => p.Custom(op, ListDataset.Random(2)))
            .Prior(p => p.Custom(new IsotropicGaussianPrior()))
            .Solver(s => s.Custom(new WienerSolver(new WienerOptions { Steps = 50 })))
            .Build();
        using var cts = new CancellationTokenSource();
        var progress = new SynchronousProgress<RunProgress>(p => { if (p.Step?.Step == 5) cts.Cancel(); });
        var act = () => run.Execute(progress, cts.Token);
        act.Should().Throw<OperationCanceledException>();
    }

    private sealed class GradientFreeOperator() : InverseBench.Core.Operators.ForwardOperatorBase([1, 4, 4], [1, 4, 4], InverseBench.Core.Operators.GaussianNoise.None)
    {
        public override string Name => "gradient-free";

        public override ScalarType MeasurementType => ScalarType.Float32;

        public override bool SupportsGradient => false;

        protected override Tensor ForwardPhysicalCore(Tensor physical) => physical.square();
    }
}

/// <summary>An IProgress that reports synchronously on the caller's thread (Progress&lt;T&gt; posts to the thread pool).</summary>
public sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
