using InverseBench.Algorithms.Common;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Diffusion;
using static TorchSharp.torch;

namespace InverseBench.Algorithms.Lgd;

/// <summary>LGD (reference <c>algo/lgd.py</c>); see <see cref="LgdOptions"/> for the update.</summary>
internal sealed class LgdSolver(LgdOptions options) : SolverBase<LgdOptions>(options)
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
        var gen = context.Generator;
        int batch = context.NumSamples, n = schedule.NumSteps, mc = Options.MonteCarloSamples;
        var y = Batching.ExpandObservation(observation, batch);
        var yMc = Batching.ExpandObservation(observation, (long)batch * mc);
        Tensor x = DiffusionStep.StartNoise(Batching.SignalBatch(net, batch), schedule.SigmaMax, gen, net.Device);
        for (int i = 0; i < n; i++)
        {
            using var step = StepScope.Begin();
            double sigma = schedule.SigmaSteps[i], s = schedule.ScalingSteps[i];
            double rt = sigma / Math.Sqrt(1 + sigma * sigma);
            Tensor? loss = null;
            var (denoised, pullBack) = PriorVjp.Evaluate(net, x, sigma, s, d =>
            {
                var (g, l) = MonteCarloGradient(forwardOperator, d, rt, mc, y, yMc, gen);
                loss = l;
                return g;
            });
            var normalizer = Options.Normalizer == LgdLossNormalizer.ReferenceSum ? loss!.sum(1) : loss!.mean([1]);
            var factor = Batching.PerSample(0.5 / normalizer.clamp_min(1e-24).sqrt(), (int)x.dim());
            var score = DiffusionStep.ScaledScore(denoised, x, sigma, s);
            var next = DiffusionStep.Euler(schedule, i, x, score, Options.Sde, gen) - pullBack * factor * Options.GuidanceScale;
            step.Carry(ref x, next);
            StepScope.Report(context, i, n, sigma, Name, loss.mean([1]));
        }

        return x;
    }

    /// <summary>
    /// <c>ḡ_b = mean_j ∇ℓ(D_b + r_t ε_bj)</c> and the losses <c>[B, n_mc]</c>, batched or one Monte-Carlo index at a time.
    /// </summary>
    private (Tensor Gradient, Tensor Loss) MonteCarloGradient(IForwardOperator op, Tensor d, double rt, int mc, Tensor y, Tensor yMc, TorchSharp.torch.Generator gen)
    {
        long batch = d.shape[0];
        var itemShape = d.shape.Skip(1).ToArray();
        var noise = randn([batch, mc, .. itemShape], dtype: d.dtype, device: d.device, generator: gen);
        var samples = d.unsqueeze(1) + rt * noise;                                  // [B, mc, ..]
        if (Options.BatchGradient)
        {
            var (g, l) = op.GradientAndLoss(samples.reshape([batch * mc, .. itemShape]), yMc);
            return (g.reshape([batch, mc, .. itemShape]).mean([1]), l.reshape(batch, mc));
        }

        var gradients = new List<Tensor>(mc);
        var losses = new List<Tensor>(mc);
        for (int j = 0; j < mc; j++)
        {
            var (g, l) = op.GradientAndLoss(samples.select(1, j), y);
            gradients.Add(g);
            losses.Add(l);
        }

        return (stack(gradients, 1).mean([1]), stack(losses, 1));
    }
}
