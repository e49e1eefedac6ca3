using InverseBench.Algorithms.Common;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Diffusion;
using static TorchSharp.torch;

namespace InverseBench.Algorithms.Ddrm;

/// <summary>DDRM (reference <c>algo/ddrm.py</c>); see <see cref="DdrmOptions"/> for the update.</summary>
internal sealed class DdrmSolver(DdrmOptions options) : SolverBase<DdrmOptions>(options)
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
        double eta = Options.Eta, etaB = Options.EtaB;
        double sigmaY = op.Noise.Sigma / Math.Abs(op.UnnormScale);

        var s = Spectral.SingularValues(op);
        var mask = Spectral.Mask(op);
        var invS = Spectral.MaskedInverse(op);
        var yBar = Spectral.Ut(op, Spectral.NormalizedObservation(op, observation)) * invS;   // [1, k]
        long k = s.shape[0];
        var device = s.device;

        double sigmaMax = schedule.SigmaSteps[0];
        var z = Batching.Randn([batch, k], ScalarType.Float64, device, gen);
        var initialStd = (sigmaMax * sigmaMax - mask * (sigmaY * sigmaY) * invS.square()).clamp_min(0).sqrt();
        Tensor x = mask * (yBar + z * initialStd) + (1 - mask) * z * (sigmaMax / schedule.ScalingSteps[0]);

        for (int i = 0; i < n; i++)
        {
            using var step = StepScope.Begin();
            double sigma = schedule.SigmaSteps[i], sigmaNext = schedule.SigmaSteps[i + 1];
            var xHat = Spectral.Vt(op, net.Denoise(Spectral.V(op, x), sigma));
            double keep = Math.Sqrt(1 - eta * eta) * sigmaNext / sigma;
            var xMasked = xHat + keep * (x - xHat) + eta * sigmaNext * Batching.RandnLike(x, gen);

            var confident = sigmaY == 0 ? ones_like(s) : (s >= sigmaY / sigmaNext).to(ScalarType.Float64);
            var obsStd = (sigmaNext * sigmaNext - confident * (sigmaY * sigmaY) * invS.square()).clamp_min(0).sqrt();
            var xObs1 = xHat * (1 - etaB) + etaB * yBar + obsStd * Batching.RandnLike(x, gen);
            Tensor xObs2 = sigmaY <= DdrmDefaults.NoiselessThreshold
                ? zeros_like(x)
                : xHat + Math.Sqrt(1 - eta * eta) * sigmaNext * (s / sigmaY) * (yBar - xHat) + eta * sigmaNext * Batching.RandnLike(x, gen);
            var next = mask * (confident * xObs1 + (1 - confident) * xObs2) + (1 - mask) * xMasked;
            step.Carry(ref x, next);
            StepScope.Report(context, i, n, sigma, Name);
        }

        return Spectral.V(op, x);
    }
}
