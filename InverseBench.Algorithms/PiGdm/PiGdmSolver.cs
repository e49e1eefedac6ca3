using InverseBench.Algorithms.Common;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Diffusion;
using static TorchSharp.torch;

namespace InverseBench.Algorithms.PiGdm;

/// <summary>ΠGDM (reference <c>algo/pigdm.py</c>); see <see cref="PiGdmOptions"/> for the update.</summary>
internal sealed class PiGdmSolver(PiGdmOptions options) : SolverBase<PiGdmOptions>(options)
{
    /// <summary>The requirements of a mode: an SVD (noisy) or a pseudo-inverse (noiseless), and a prior.</summary>
    internal static SolverRequirements RequirementsFor(bool noisy) =>
        SolverRequirements.Of(noisy ? SolverCapability.Svd : SolverCapability.PseudoInverse).WithPrior();

    /// <inheritdoc />
    public override SolverRequirements Requirements { get; } = RequirementsFor(options.Noisy);

    /// <inheritdoc />
    protected override Tensor SolveCore(Tensor observation, IForwardOperator forwardOperator, IDiffusionPrior? prior, SolverContext context)
    {
        var net = prior!;
        var schedule = new NoiseSchedule(Options.Schedule);
        var gen = context.Generator;
        int batch = context.NumSamples, n = schedule.NumSteps;
        double eta = Options.Eta;
        double sigmaY = Math.Max(forwardOperator.Noise.Sigma, PiGdmDefaults.MinNoiseLevel);
        var y = Batching.ExpandObservation(observation, batch);
        var cotangent = Options.Noisy
            ? NoisyCotangent((ISvdOperator)forwardOperator, y, sigmaY)
            : NoiselessCotangent((IPseudoInverse)forwardOperator, y);

        Tensor x = DiffusionStep.StartNoise(Batching.SignalBatch(net, batch), schedule.SigmaMax, gen, net.Device);
        for (int i = 0; i < n; i++)
        {
            using var step = StepScope.Begin();
            double sigma = schedule.SigmaSteps[i], sigmaNext = schedule.SigmaSteps[i + 1];
            var (denoised, guidance) = PriorVjp.Evaluate(net, x, sigma, 1.0, d => cotangent(d, sigma));
            var next = denoised + Math.Sqrt(1 - eta * eta) * (sigmaNext / sigma) * (x - denoised)
                       + eta * sigmaNext * Batching.RandnLike(x, gen) + guidance;
            step.Carry(ref x, next);
            StepScope.Report(context, i, n, sigma, Name);
        }

        return x;
    }

    /// <summary><c>v(D) = scale·Aᵀ(AAᵀ + σ_y²(σ²+1)/σ²)⁻¹(y − A·unnormalize(D)) = scale·V(S/(S²+λ)·Uᵀ r)</c>.</summary>
    private static Func<Tensor, double, Tensor> NoisyCotangent(ISvdOperator op, Tensor y, double sigmaY)
    {
        var s = Spectral.SingularValues(op);
        var mask = Spectral.Mask(op);
        return (d, sigma) =>
        {
            double lambda = sigmaY * sigmaY * (sigma * sigma + 1) / (sigma * sigma);
            var residual = y - op.Forward(d);
            var filter = mask * s / (s.square() + lambda);
            return op.UnnormScale * Spectral.V(op, Spectral.Ut(op, residual) * filter).to(d.dtype);
        };
    }

    /// <summary><c>v(D) = A⁺y − A⁺G(D)</c> (normalised pseudo-inverses; the shift cancels).</summary>
    private static Func<Tensor, double, Tensor> NoiselessCotangent(IPseudoInverse op, Tensor y)
    {
        var target = op.PseudoInverse(y);
        return (d, _) => (target - op.PseudoInverse(op.Forward(d))).to(d.dtype);
    }
}
