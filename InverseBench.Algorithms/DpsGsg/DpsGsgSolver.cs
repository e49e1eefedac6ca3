using InverseBench.Algorithms.Ensemble;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Diffusion;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Algorithms.DpsGsg;

/// <summary>Zeroth-order DPS (see <see cref="DpsGsgOptions"/>).</summary>
internal sealed class DpsGsgSolver : SolverBase<DpsGsgOptions>
{
    private readonly NoiseSchedule _schedule;

    /// <summary>Creates the solver.</summary>
    public DpsGsgSolver(DpsGsgOptions options) : base(options) => _schedule = new NoiseSchedule(options.Schedule);

    /// <summary>A prior (with a differentiable denoiser) and forward evaluations; no forward-model gradient.</summary>
    public static SolverRequirements Needs { get; } = SolverRequirements.None.WithPrior();

    /// <inheritdoc />
    public override SolverRequirements Requirements => Needs;

    /// <inheritdoc />
    protected override Tensor SolveCore(Tensor observation, IForwardOperator forwardOperator, IDiffusionPrior? prior, SolverContext context)
    {
        var o = Options;
        var denoiser = prior!;
        long[] shape = [context.NumSamples, .. forwardOperator.SignalShape];
        long[] perSample = [-1, .. Enumerable.Repeat(1L, forwardOperator.SignalShape.Count)];
        var x = randn(shape, float32, forwardOperator.Device, generator: context.Generator) * _schedule.SigmaMax;
        for (int i = 0; i < _schedule.NumSteps; i++)
        {
            using var scope = NewDisposeScope();
            var current = x.detach().requires_grad_(true);
            Tensor denoised;
            using (enable_grad()) denoised = DiffusionSteps.Denoise(denoiser, current, _schedule, i);
            Tensor likelihoodGradient, loss;
            using (no_grad())
            {
                var clean = denoised.detach();
                var estimate = GaussianSmoothedGradient.Estimate(batch => forwardOperator.Loss(batch, observation), clean, o.Mu,
                    o.NumQueries, o.BatchSize, o.Scheme, context.Generator, context.CancellationToken);
                loss = forwardOperator.Loss(clean, observation);
                using (enable_grad()) likelihoodGradient = autograd.grad([denoised], [current], [estimate])[0].detach();
                likelihoodGradient = likelihoodGradient * 0.5 / loss.sqrt().to(likelihoodGradient.dtype).reshape(perSample);
            }

            var score = DiffusionSteps.ScaledScore(denoised.detach(), current.detach(), _schedule, i);
            var next = DiffusionSteps.Step(current.detach(), score, _schedule, i, o.Sde, context.Generator) - o.GuidanceScale * likelihoodGradient;
            x.Dispose();
            x = scope.MoveToOuter(next);
            context.Report(new SolverStepArguments(i, _schedule.NumSteps, _schedule.SigmaSteps[i], loss.mean().ToDouble(), Name));
        }

        return x;
    }
}
