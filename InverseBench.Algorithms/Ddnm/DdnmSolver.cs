using InverseBench.Algorithms.Common;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Diffusion;
using static TorchSharp.torch;

namespace InverseBench.Algorithms.Ddnm;

/// <summary>DDNM+ with time travel (reference <c>algo/ddnm.py</c>); see <see cref="DdnmOptions"/> for the update.</summary>
internal sealed class DdnmSolver(DdnmOptions options) : SolverBase<DdnmOptions>(options)
{
    /// <summary>A prior and an SVD of the operator.</summary>
    internal static SolverRequirements DefaultRequirements { get; } = SolverRequirements.Of(SolverCapability.Svd).WithPrior();

    /// <inheritdoc />
    public override SolverRequirements Requirements => DefaultRequirements;

    /// <inheritdoc />
    protected override Tensor SolveCore(Tensor observation, IForwardOperator forwardOperator, IDiffusionPrior? prior, SolverContext context)
    {
        var net = prior!;
        var op = (ISvdOperator)forwardOperator;
        var schedule = new NoiseSchedule(Options.Schedule);
        var gen = context.Generator;
        int batch = context.NumSamples, n = schedule.NumSteps;
        double eta = Options.Eta;
        bool legacy = Options.ReferenceCompatibleNormalization;
        double sigmaY = Math.Max(legacy ? op.Noise.Sigma : op.Noise.Sigma / Math.Abs(op.UnnormScale), DdnmDefaults.MinNoiseLevel);

        var invS = Spectral.MaskedInverse(op);
        // Range part A⁺y (normalised problem) or the reference's A⁺y of the raw observation.
        var rangePart = Spectral.PseudoInverse(op, legacy ? observation : Spectral.NormalizedObservation(op, observation), invS);
        Tensor Project(Tensor d) => d - Spectral.PseudoInverse(op, legacy ? op.Forward(d) : op.ForwardPhysical(d), invS);

        var sigmas = schedule.SigmaSteps;
        var scales = schedule.ScalingSteps;
        Tensor x = DiffusionStep.StartNoise(Batching.SignalBatch(net, batch), schedule.SigmaMax, gen, net.Device);
        for (int i = 0; i < n; i++)
        {
            using var step = StepScope.Begin();
            int travel = Math.Min(Options.TravelLength, i);
            int start = i - travel;
            double renoise = Math.Sqrt(Math.Max(0, sigmas[start] * sigmas[start] - sigmas[i] * sigmas[i]));
            var state = (x / scales[i] + renoise * Batching.RandnLike(x, gen)) * scales[start];
            for (int j = start; j <= i; j++)
            {
                double sigma = sigmas[j], sigmaNext = sigmas[j + 1];
                var denoised = net.Denoise(state / scales[j], sigma);
                var x0 = rangePart + Project(denoised);
                double lambda = Math.Min(1, sigmaNext / sigmaY);
                double gamma = Math.Sqrt(Math.Max(0, sigmaNext * sigmaNext - lambda * lambda * sigmaY * sigmaY));
                x0 = lambda * x0 + (1 - lambda) * denoised;
                state = x0 + Math.Sqrt(1 - eta * eta) * (sigmaNext / sigma) * (state - x0) + eta * gamma * Batching.RandnLike(state, gen);
                state = state * scales[j + 1];
            }

            step.Carry(ref x, state);
            StepScope.Report(context, i, n, sigmas[i], Name);
        }

        return x;
    }
}
