using InverseBench.Algorithms.Common;
using InverseBench.Core.Configuration;
using InverseBench.Core.Diffusion;
using InverseBench.Core.Priors;
using InverseBench.Tests.TestUtilities.Operators;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Tests.Algorithms.Common;

/// <summary>The shared machinery of the solvers (InverseBench.Algorithms/Common), against closed forms.</summary>
[TestFixture]
public sealed class CommonMachineryTests
{
    [Test]
    public void PriorVjpMatchesTheGaussianDenoiserJacobian()
    {
        // D(x/s; σ) = (v·x/s + σ²μ)/(v + σ²) ⇒ ∂⟨c, D⟩/∂x = c·v/((v + σ²)s), with v = std².
        using var scope = NewDisposeScope();
        var mean = randn(1, 3, 3, generator: new Generator(1));
        var std = 0.5 + rand(1, 3, 3, generator: new Generator(2));
        var prior = GaussianPrior.Diagonal(mean, std);
        var x = randn(2, 1, 3, 3, generator: new Generator(3));
        var c = randn(2, 1, 3, 3, generator: new Generator(4));
        double sigma = 0.7, s = 0.8;
        Tensor? seen = null;
        var (d, g) = PriorVjp.Evaluate(prior, x, sigma, s, denoised => { seen = denoised; return c; });
        var variance = std.square();
        var expectedD = (variance * (x / s) + sigma * sigma * mean) / (variance + sigma * sigma);
        (d - expectedD).abs().max().item<float>().Should().BeLessThan(1e-5f);
        (g - c * variance / ((variance + sigma * sigma) * s)).abs().max().item<float>().Should().BeLessThan(1e-5f);
        seen!.requires_grad.Should().BeFalse("the callback gets the detached estimate");
        d.requires_grad.Should().BeFalse();
        g.requires_grad.Should().BeFalse();
        x.requires_grad.Should().BeFalse();
    }

    [Test]
    public void StepScopeCarriesStateAndFreesEverythingElse()
    {
        using var outer = NewDisposeScope();
        Tensor x = ones(3);
        var first = x;
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (int i = 0; i < 50; i++)
        {
            using var step = StepScope.Begin();
            var temp = x * 2;
            step.Carry(ref x, temp + 1);
        }

        DisposeScopeManager.Statistics.ThreadTotalLiveCount.Should().Be(before, "only the carried state stays alive");
        first.IsInvalid.Should().BeTrue("the previous state is disposed when replaced");
        x[0].item<float>().Should().Be((float)(Math.Pow(2, 50) * 2 - 1));
    }

    [Test]
    public void EulerStepFollowsTheReferenceFormula()
    {
        using var scope = NewDisposeScope();
        var schedule = new NoiseSchedule(new NoiseScheduleOptions { NumSteps = 5, Schedule = SigmaScheduleKind.Vp, Timestep = "vp", Scaling = ScalingScheduleKind.Vp });
        var x = randn(2, 4, generator: new Generator(1));
        var score = randn(2, 4, generator: new Generator(2));
        double c = schedule.ScalingFactor[1], f = schedule.FactorSteps[1];
        var ode = DiffusionStep.Euler(schedule, 1, x, score, sde: false, new Generator(3));
        (ode - (x * c + 0.5 * f * score)).abs().max().item<float>().Should().BeLessThan(1e-6f);
        var sde = DiffusionStep.Euler(schedule, 1, x, score, sde: true, new Generator(3));
        var eps = randn(2, 4, generator: new Generator(3));
        (sde - (x * c + f * score + Math.Sqrt(f) * eps)).abs().max().item<float>().Should().BeLessThan(1e-6f);
        var d = randn(2, 4, generator: new Generator(4));
        double sigma = schedule.SigmaSteps[1], sc = schedule.ScalingSteps[1];
        (DiffusionStep.ScaledScore(d, x, sigma, sc) - (d - x / sc) / (sigma * sigma) / sc).abs().max().item<float>().Should().BeLessThan(1e-5f);
    }

    [Test]
    public void SpectralHelpersGuardZeroSingularValuesAndConvertTheNormalisation()
    {
        using var scope = NewDisposeScope();
        using var op = new DenseMatrixOperator(randn(3, 8, dtype: ScalarType.Float64, generator: new Generator(1)), [1, 2, 4], 0.1, unnormShift: 0.5, unnormScale: 2);
        var inverse = Spectral.MaskedInverse(op);
        isfinite(inverse).all().item<bool>().Should().BeTrue();
        inverse[3..].abs().sum().item<double>().Should().Be(0);
        var x = randn(2, 1, 2, 4, generator: new Generator(2));
        var y = op.Forward(x);
        // y' = y/scale − A·shift = A x.
        (Spectral.NormalizedObservation(op, y) - op.ForwardPhysical(x)).abs().max().item<float>().Should().BeLessThan(1e-5f);
        // A⁺(A x) is the projection of x on the row space: applying A again gives A x back.
        var projected = Spectral.PseudoInverse(op, op.ForwardPhysical(x), inverse);
        (op.ForwardPhysical(projected) - op.ForwardPhysical(x)).abs().max().item<float>().Should().BeLessThan(1e-4f);
    }

    [Test]
    public void ExpandObservationRepeatsOneObservationAndRejectsOtherBatches()
    {
        using var scope = NewDisposeScope();
        var y = randn(1, 1, 1, 5);
        Batching.ExpandObservation(y, 4).shape.Should().Equal(4, 1, 1, 5);
        var act = () => Batching.ExpandObservation(randn(2, 1, 1, 5), 4);
        act.Should().Throw<ArgumentException>().WithMessage("The observation has batch 2*");
    }

    [Test]
    public void ScheduleConfigReadsOverTheYamlDefaultsAndNamesUnknownKeys()
    {
        var defaults = new Dictionary<string, object?> { ["num_steps"] = 100, ["schedule"] = "sqrt", ["timestep"] = "log" };
        var method = new ConfigSection(new Dictionary<string, object?> { ["scheduler_config"] = new Dictionary<string, object?> { ["num_steps"] = 7 } });
        var o = ScheduleConfig.Read(method, "scheduler_config", defaults);
        (o.NumSteps, o.Schedule, o.Timestep).Should().Be((7, SigmaScheduleKind.Sqrt, "log"));
        method.ThrowIfUnknownKeys();
        var bad = new ConfigSection(new Dictionary<string, object?> { ["scheduler_config"] = new Dictionary<string, object?> { ["sigma_maxx"] = 1 } });
        var act = () => ScheduleConfig.Read(bad, "scheduler_config", defaults);
        act.Should().Throw<ArgumentException>().WithMessage("*scheduler_config.sigma_maxx*");
        var errors = new List<string>();
        ScheduleConfig.Validate(new NoiseScheduleOptions { NumSteps = 0 }, "Schedule", errors);
        errors.Should().ContainSingle().Which.Should().StartWith("Schedule: ");
    }
}
