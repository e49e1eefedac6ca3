using InverseBench.Algorithms.Common;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Diffusion;
using static TorchSharp.torch;

namespace InverseBench.Algorithms.Daps;

/// <summary>DAPS; see <see cref="DapsOptions"/>.</summary>
internal sealed class DapsSolver : SolverBase<DapsOptions>
{
    private readonly NoiseSchedule _annealing;

    /// <summary>Creates the solver; the options are validated first.</summary>
    public DapsSolver(DapsOptions options)
        : base(options)
    {
        _annealing = new(options.AnnealingSchedule);
    }

    /// <inheritdoc />
    public override SolverRequirements Requirements { get; } = SolverRequirements.Of(SolverCapability.Gradient).WithPrior();

    /// <inheritdoc />
    protected override Tensor SolveCore(Tensor observation, IForwardOperator forwardOperator, IDiffusionPrior? prior, SolverContext context)
    {
        var net = prior!;
        int count = context.NumSamples;
        var y = Batching.ExpandObservation(observation, count);
        var g = context.Generator;
        int levels = _annealing.NumSteps;
        var x = DiffusionSampler.StartNoise([count, net.Channels, net.Resolution, net.Resolution], _annealing, g, device: net.Device);
        for (int k = 0; k < levels; k++)
        {
            using var scope = NewDisposeScope();
            double sigma = _annealing.SigmaSteps[k];
            var denoised = Reconstruct(net, x, sigma, g, context.CancellationToken);
            double ratio = (double)k / levels;
            double stepSize = Options.LangevinStepSize * (1 + ratio * (Options.StepSizeMinRatio - 1));
            var posterior = LangevinDynamics.Run(forwardOperator, y, denoised, sigma, Options.Tau, stepSize, Options.LangevinSteps, g, context.CancellationToken,
                Options.ReferenceNanToZeros, Name, k, "lgvd_config.lr");
            var next = posterior + randn(posterior.shape, dtype: posterior.dtype, device: posterior.device, generator: g) * _annealing.SigmaSteps[k + 1];
            x.Dispose();
            x = scope.MoveToOuter(next);
            context.Report(new SolverStepArguments(k, levels, sigma, null, Name));
        }

        return x;
    }

    /// <summary>
    /// x̂₀ at level σ: the inner probability-flow ODE from σ down, or (σ at or below the inner σ_min, default mode) one denoiser
    /// call; see <see cref="DapsOptions.ReferenceInnerSchedule"/>.
    /// </summary>
    private Tensor Reconstruct(IDiffusionPrior net, Tensor x, double sigma, TorchSharp.torch.Generator g, CancellationToken cancellationToken)
    {
        var inner = Options.DiffusionSchedule.Clone();
        if (!(sigma > inner.SigmaMin))
        {
            if (!Options.ReferenceInnerSchedule) return Smc.SamplerSupport.Denoise(net, x, sigma);
            inner.AllowSigmaMaxNotAboveSigmaMin = true;
        }

        inner.SigmaMax = sigma;
        return DiffusionSampler.Sample(net, x, new NoiseSchedule(inner), sde: false, generator: g, cancellationToken);
    }
}
