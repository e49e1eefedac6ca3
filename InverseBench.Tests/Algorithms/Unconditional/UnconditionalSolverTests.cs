using InverseBench.Algorithms;
using InverseBench.Algorithms.Unconditional;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Configuration;
using InverseBench.Core.Diffusion;
using InverseBench.Core.Fluent;
using InverseBench.Tests.Algorithms.Smc;
using InverseBench.Tests.TestUtilities.Operators;
using static TorchSharp.torch;

namespace InverseBench.Tests.Algorithms.Unconditional;

public sealed class UnconditionalSolverTests
{
    private const int Samples = 1000;

    private static ISolver Create(int steps = 100, bool sde = true) => new InverseBenchContext().Solvers.Unconditional(o =>
    {
        o.DiffusionSchedule = new NoiseScheduleOptions { NumSteps = steps, Schedule = SigmaScheduleKind.Vp, Timestep = "vp", Scaling = ScalingScheduleKind.Vp };
        o.Sde = sde;
    });

    [Test]
    public void Samples_match_the_prior_mean_and_std()
    {
        // N = 1000 samples: ‖std − s‖/‖s‖ has Monte-Carlo size ≈ 1/√(2N) = 0.022 and ‖mean − μ‖/‖s‖ ≈ 1/√N = 0.032;
        // tolerances are 3 such errors plus 0.02 for the 100-step Euler–Maruyama discretisation.
        var toy = SharedToy.Problem;
        using var scope = NewDisposeScope();
        using var result = Create().Solve(toy.Observation, toy.Operator, toy.Prior, SolverContext.FromSeed(3, numSamples: Samples));
        result.Samples.shape.Should().Equal([Samples, .. toy.Operator.SignalShape]);
        var (mean, std) = LinearGaussianToyProblem.Moments(result.Samples);
        double priorScale = LinearGaussianToyProblem.Distance(toy.PriorStd, zeros_like(toy.PriorStd));
        double stdError = LinearGaussianToyProblem.Distance(std, toy.PriorStd) / priorScale;
        double meanError = LinearGaussianToyProblem.Distance(mean, toy.PriorMean) / priorScale;
        TestContext.Progress.WriteLine($"uncond: rel std error {stdError:F4}, mean error/‖s‖ {meanError:F4}");
        stdError.Should().BeLessThan(3 / Math.Sqrt(2.0 * Samples) + 0.02);
        meanError.Should().BeLessThan(3 / Math.Sqrt(Samples) + 0.02);
    }

    [Test]
    public void Ode_sampling_also_reaches_the_prior_std()
    {
        var toy = SharedToy.Problem;
        using var scope = NewDisposeScope();
        using var result = Create(sde: false).Solve(toy.Observation, toy.Operator, toy.Prior, SolverContext.FromSeed(4, numSamples: Samples));
        var (_, std) = LinearGaussianToyProblem.Moments(result.Samples);
        (LinearGaussianToyProblem.Distance(std, toy.PriorStd) / LinearGaussianToyProblem.Distance(toy.PriorStd, zeros_like(toy.PriorStd))).Should().BeLessThan(3 / Math.Sqrt(2.0 * Samples) + 0.03);
    }

    [Test]
    public void Same_seed_gives_the_same_samples_and_counts_one_network_call_per_step()
    {
        var toy = SharedToy.Problem;
        using var scope = NewDisposeScope();
        var solver = Create(steps: 20);
        using var a = solver.Solve(toy.Observation, toy.Operator, toy.Prior, SolverContext.FromSeed(7, numSamples: 5));
        using var b = solver.Solve(toy.Observation, toy.Operator, toy.Prior, SolverContext.FromSeed(7, numSamples: 5));
        a.Samples.allclose(b.Samples, rtol: 0, atol: 0).Should().BeTrue();
        a.Counts.NetworkCalls.Should().Be(20);
        a.Counts.NetworkItems.Should().Be(100);
        a.Counts.ForwardCalls.Should().Be(0);
    }

    [Test]
    public void Reference_batch_option_takes_the_batch_from_the_observation()
    {
        var toy = SharedToy.Problem;
        var solver = new InverseBenchContext().Solvers.Unconditional(o => { o.DiffusionSchedule.NumSteps = 5; o.ReferenceBatchFromObservation = true; });
        using var result = solver.Solve(toy.Observation, toy.Operator, toy.Prior, SolverContext.FromSeed(1, numSamples: 3));
        result.Samples.shape[0].Should().Be(1);
    }

    [Test]
    public void Cancellation_is_honoured_and_progress_is_reported_per_step()
    {
        var toy = SharedToy.Problem;
        using var cts = new CancellationTokenSource();
        var steps = new List<int>();
        var progress = new SynchronousProgress(s => { steps.Add(s.Step); if (s.Step == 2) cts.Cancel(); });
        var act = () => Create(steps: 10).Solve(toy.Observation, toy.Operator, toy.Prior, new SolverContext(new Generator(1), 2, progress, cts.Token));
        act.Should().Throw<OperationCanceledException>();
        steps.Should().Equal(0, 1, 2);
    }

    [Test]
    public void Options_read_the_reference_yaml_keys_and_pin_the_defaults()
    {
        var o = new UnconditionalOptions();
        o.DiffusionSchedule.NumSteps.Should().Be(1000);
        o.DiffusionSchedule.Schedule.Should().Be(SigmaScheduleKind.Vp);
        o.Sde.Should().BeTrue();
        var section = new ConfigSection(new Dictionary<string, object?>
        {
            ["sde"] = "false",
            ["diffusion_scheduler_config"] = new Dictionary<string, object?> { ["num_steps"] = 12, ["schedule"] = "vp", ["timestep"] = "vp", ["scaling"] = "vp" },
        });
        var parsed = UnconditionalOptions.FromConfig(section);
        section.ThrowIfUnknownKeys();
        parsed.Sde.Should().BeFalse();
        parsed.DiffusionSchedule.NumSteps.Should().Be(12);
        var bad = () => new InverseBenchContext().Solvers.Unconditional(x => x.DiffusionSchedule.NumSteps = 0);
        bad.Should().Throw<ArgumentException>().WithMessage("*NumSteps (num_steps) must be at least 1*");
    }

    [Test]
    public void Is_registered_under_its_reference_name()
    {
        AlgorithmsServiceCollectionExtensions.SolverNames.Should().Contain("uncond");
    }
}

/// <summary>An IProgress that runs the callback synchronously (Progress&lt;T&gt; posts to the thread pool).</summary>
internal sealed class SynchronousProgress(Action<SolverStepArguments> callback) : IProgress<SolverStepArguments>
{
    public void Report(SolverStepArguments value) => callback(value);
}
