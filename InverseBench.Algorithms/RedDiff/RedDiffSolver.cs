using InverseBench.Algorithms.Common;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Diffusion;
using static TorchSharp.torch;

namespace InverseBench.Algorithms.RedDiff;

/// <summary>RED-diff (reference <c>algo/reddiff.py</c>); see <see cref="RedDiffOptions"/> for the update.</summary>
internal sealed class RedDiffSolver(RedDiffOptions options) : SolverBase<RedDiffOptions>(options)
{
    /// <summary>A prior and the data-misfit gradient.</summary>
    internal static SolverRequirements DefaultRequirements { get; } = SolverRequirements.Of(SolverCapability.Gradient).WithPrior();

    /// <inheritdoc />
    public override SolverRequirements Requirements => DefaultRequirements;

    /// <inheritdoc />
    protected override Tensor SolveCore(Tensor observation, IForwardOperator forwardOperator, IDiffusionPrior? prior, SolverContext context)
    {
        var net = prior!;
        var schedule = new NoiseSchedule(ScheduleConfig.FromDefaults(RedDiffDefaults.Scheduler(Options.NumSteps)));
        var gen = context.Generator;
        int batch = context.NumSamples, n = schedule.NumSteps;
        var y = Batching.ExpandObservation(observation, batch);
        double lr = Options.BaseLearningRate, b1 = RedDiffDefaults.Beta1, b2 = RedDiffDefaults.Beta2;

        Tensor mu = zeros(Batching.SignalBatch(net, batch), dtype: ScalarType.Float32, device: net.Device);
        Tensor m = zeros_like(mu), v = zeros_like(mu);
        for (int i = 0; i < n; i++)
        {
            using var step = StepScope.Begin();
            double sigma = schedule.SigmaSteps[i], s = schedule.ScalingSteps[i];
            var eps = Batching.RandnLike(mu, gen);
            var noisy = mu + sigma * eps;
            if (Options.ReferenceScaledNetworkInput) noisy = noisy * s;
            var predictedNoise = Tweedie.NoiseFromDenoised(net.Denoise(noisy, sigma), noisy, sigma);
            var (g, loss) = forwardOperator.GradientAndLoss(mu, y);
            var gradient = Options.ObservationWeight * g + Lambda(sigma) * (predictedNoise - eps);

            // Adam (PyTorch's update, bias-corrected, no weight decay), step t = i + 1.
            int t = i + 1;
            var m1 = b1 * m + (1 - b1) * gradient;
            var v1 = b2 * v + (1 - b2) * gradient.square();
            double bias1 = 1 - Math.Pow(b1, t), bias2 = 1 - Math.Pow(b2, t);
            var denominator = v1.sqrt() / Math.Sqrt(bias2) + RedDiffDefaults.AdamEpsilon;
            var next = mu - (lr / bias1) * m1 / denominator;
            step.Carry(ref m, m1);
            step.Carry(ref v, v1);
            step.Carry(ref mu, next);
            StepScope.Report(context, i, n, sigma, Name, loss);
        }

        return mu;
    }

    private double Lambda(double sigma) => Options.LambdaSchedule switch
    {
        RedDiffLambdaSchedule.Linear => sigma * Options.BaseLambda,
        RedDiffLambdaSchedule.Sqrt => Math.Sqrt(sigma) * Options.BaseLambda,
        _ => Options.BaseLambda,
    };
}
