using InverseBench.Core.Abstractions;
using InverseBench.Core.Diffusion;
using static TorchSharp.torch;

namespace InverseBench.Algorithms.Unconditional;

/// <summary>The unconditional sampler; see <see cref="UnconditionalOptions"/>.</summary>
internal sealed class UnconditionalSolver : SolverBase<UnconditionalOptions>
{
    private readonly NoiseSchedule _schedule;

    /// <summary>Creates the solver; the options are validated first.</summary>
    public UnconditionalSolver(UnconditionalOptions options)
        : base(options)
    {
        _schedule = new(options.DiffusionSchedule);
    }

    /// <inheritdoc />
    public override SolverRequirements Requirements { get; } = SolverRequirements.Of(SolverCapability.None).WithPrior();

    /// <inheritdoc />
    protected override Tensor SolveCore(Tensor observation, IForwardOperator forwardOperator, IDiffusionPrior? prior, SolverContext context)
    {
        var net = prior!;
        long count = Options.ReferenceBatchFromObservation ? observation.shape[0] : context.NumSamples;
        var x = DiffusionSampler.StartNoise([count, net.Channels, net.Resolution, net.Resolution], _schedule, context.Generator, device: net.Device);
        for (int i = 0; i < _schedule.NumSteps; i++)
        {
            using var scope = NewDisposeScope();
            var next = EulerStep(net, x, i, context.Generator);
            x.Dispose();
            x = scope.MoveToOuter(next);
            context.Report(new SolverStepArguments(i, _schedule.NumSteps, _schedule.SigmaSteps[i], null, Name));
        }

        return x;
    }

    // One step of the reference DiffusionSampler (spec §3), reported individually; the whole-run helper
    // DiffusionSampler.Sample cannot report per step.
    private Tensor EulerStep(IDiffusionPrior net, Tensor x, int i, TorchSharp.torch.Generator generator)
    {
        double s = _schedule.ScalingSteps[i], sigma = _schedule.SigmaSteps[i];
        double c = _schedule.ScalingFactor[i], f = _schedule.FactorSteps[i];
        var unscaled = x / s;
        var score = Tweedie.Score(net.Denoise(unscaled, sigma), unscaled, sigma) / s;
        if (!Options.Sde) return x * c + score * (0.5 * f);
        var noise = randn(x.shape, dtype: x.dtype, device: x.device, generator: generator);
        return x * c + score * f + noise * Math.Sqrt(f);
    }
}
