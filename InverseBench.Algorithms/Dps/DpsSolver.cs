using InverseBench.Algorithms.Common;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Diffusion;
using static TorchSharp.torch;

namespace InverseBench.Algorithms.Dps;

/// <summary>DPS (reference <c>algo/dps.py</c>); see <see cref="DpsOptions"/> for the update.</summary>
internal sealed class DpsSolver(DpsOptions options) : SolverBase<DpsOptions>(options)
{
    /// <summary>A prior and the data-misfit gradient.</summary>
    internal static SolverRequirements DefaultRequirements { get; } = SolverRequirements.Of(SolverCapability.Gradient).WithPrior();

    /// <inheritdoc />
    public override SolverRequirements Requirements => DefaultRequirements;

    /// <inheritdoc />
    protected override Tensor SolveCore(Tensor observation, IForwardOperator forwardOperator, IDiffusionPrior? prior, SolverContext context)
    {
        var net = prior!;
        var schedule = new NoiseSchedule(Options.Schedule);
        int batch = context.NumSamples;
        var y = Batching.ExpandObservation(observation, batch);
        Tensor x = DiffusionStep.StartNoise(Batching.SignalBatch(net, batch), schedule.SigmaMax, context.Generator, net.Device);
        int n = schedule.NumSteps;
        for (int i = 0; i < n; i++)
        {
            using var step = StepScope.Begin();
            double sigma = schedule.SigmaSteps[i], s = schedule.ScalingSteps[i];
            Tensor? loss = null;
            var (denoised, pullBack) = PriorVjp.Evaluate(net, x, sigma, s, d =>
            {
                var (g, l) = forwardOperator.GradientAndLoss(d, y);
                loss = l;
                return g;
            });
            var guidance = pullBack * NormGradientFactor(loss!, x.dim());
            var score = DiffusionStep.ScaledScore(denoised, x, sigma, s);
            var next = DiffusionStep.Euler(schedule, i, x, score, Options.Sde, context.Generator) - guidance * Options.GuidanceScale;
            step.Carry(ref x, next);
            StepScope.Report(context, i, n, sigma, Name, loss);
        }

        return x;
    }

    /// <summary>
    /// <c>1/(2√ℓ)</c>, which turns <c>∇ℓ</c> into <c>∇√ℓ</c>: per sample (<c>[B, 1, ..]</c>) or with the batch-summed loss
    /// (the reference). A zero misfit is floored at 1e-24 so the factor stays finite (the reference gives NaN there).
    /// </summary>
    private Tensor NormGradientFactor(Tensor loss, long rank)
    {
        var perSample = loss.to(ScalarType.Float32).clamp_min(1e-24);
        return Options.Normalization == DpsGuidanceNormalization.ReferenceBatchSum
            ? 0.5 / perSample.sum().sqrt()
            : Batching.PerSample(0.5 / perSample.sqrt(), (int)rank);
    }
}
