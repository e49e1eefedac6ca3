using InverseBench.Algorithms.Daps;
using InverseBench.Algorithms.Common;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Diffusion;
using static TorchSharp.torch;

namespace InverseBench.Algorithms.PnpDm;

/// <summary>PnP-DM; see <see cref="PnpDmOptions"/>.</summary>
internal sealed class PnpDmSolver : SolverBase<PnpDmOptions>
{
    private readonly NoiseSchedule _base;
    private readonly IReadOnlyList<double> _levels;

    /// <summary>Creates the solver; the options are validated first.</summary>
    public PnpDmSolver(PnpDmOptions options)
        : base(options)
    {
        _base = new NoiseSchedule(options.DiffusionSchedule);
        _levels = NoiseSchedule.ExponentialDecay(options.AnnealingSteps, options.AnnealingSigmaMax, options.AnnealingSigmaMin, options.AnnealingDecay);
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
        var x = randn([count, net.Channels, net.Resolution, net.Resolution], dtype: ScalarType.Float32, device: net.Device, generator: g);
        for (int k = 0; k < _levels.Count; k++)
        {
            using var scope = NewDisposeScope();
            double sigma = _levels[k];
            var z = LangevinDynamics.Run(forwardOperator, y, x, sigma, Options.Tau, Options.LangevinStepSize, Options.LangevinSteps, g, context.CancellationToken,
                Options.ReferenceNanToZeros, Name, k, "lgvd_config.lr");
            var next = DiffusionSampler.Sample(net, z, _base.Partial(sigma, Options.PartialSchedule), sde: true, generator: g, context.CancellationToken);
            x.Dispose();
            x = scope.MoveToOuter(next);
            context.Report(new SolverStepArguments(k, _levels.Count, sigma, null, Name));
        }

        return x;
    }
}
