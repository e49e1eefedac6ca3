using InverseBench.Algorithms.Common;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Diffusion;
using static TorchSharp.torch;

namespace InverseBench.Algorithms.DiffPir;

/// <summary>DiffPIR (reference <c>algo/diffpir.py</c>); see <see cref="DiffPirOptions"/> for the update.</summary>
internal sealed class DiffPirSolver(DiffPirOptions options) : SolverBase<DiffPirOptions>(options)
{
    /// <summary>The requirements of a mode: an SVD (linear) or the misfit gradient, and a prior.</summary>
    internal static SolverRequirements RequirementsFor(bool linear) =>
        SolverRequirements.Of(linear ? SolverCapability.Svd : SolverCapability.Gradient).WithPrior();

    /// <inheritdoc />
    public override SolverRequirements Requirements { get; } = RequirementsFor(options.Linear);

    /// <inheritdoc />
    protected override Tensor SolveCore(Tensor observation, IForwardOperator forwardOperator, IDiffusionPrior? prior, SolverContext context)
    {
        var net = prior!;
        var schedule = new NoiseSchedule(Options.Schedule);
        var gen = context.Generator;
        int batch = context.NumSamples, n = schedule.NumSteps;
        double noise2 = Options.NoiseLevel * Options.NoiseLevel, xi = Options.Xi;
        var y = Batching.ExpandObservation(observation, batch);
        Func<Tensor, double, (Tensor X0Hat, Tensor? Loss)> dataStep = Options.Linear
            ? ProximalStep((ISvdOperator)forwardOperator, y)
            : (x0, rho) =>
            {
                var (g, loss) = forwardOperator.GradientAndLoss(x0, y);
                return (x0 - g / rho, loss);
            };

        Tensor x = DiffusionStep.StartNoise(Batching.SignalBatch(net, batch), schedule.SigmaMax, gen, net.Device);
        for (int i = 0; i < n; i++)
        {
            using var step = StepScope.Begin();
            double sigma = schedule.SigmaSteps[i], sigmaNext = schedule.SigmaSteps[i + 1], s = schedule.ScalingSteps[i];
            var unscaled = s == 1.0 ? x : x / s;
            var x0 = net.Denoise(unscaled, sigma);
            double rho = 2 * Options.Lambda * noise2 / (sigma * s * sigma * s);
            var (x0Hat, loss) = dataStep(x0, rho);
            var estimatedNoise = (unscaled - x0Hat) / sigma;
            var next = x0Hat + (Math.Sqrt(xi) * Batching.RandnLike(x, gen) + Math.Sqrt(1 - xi) * estimatedNoise) * sigmaNext;
            if (i < n - 1) next = next * schedule.ScalingSteps[i + 1];
            step.Carry(ref x, next);
            StepScope.Report(context, i, n, sigma, Name, loss);
        }

        return x;
    }

    /// <summary>
    /// The exact data step <c>normalize((AᵀA + ρI)⁻¹(Aᵀy + ρ·unnormalize(x₀)))</c>, with
    /// <c>(AᵀA + ρI)⁻¹b = V((Vᵀb)/(S² + ρ)) + (b − V Vᵀ b)/ρ</c> (exact also for a reduced SVD).
    /// </summary>
    private static Func<Tensor, double, (Tensor, Tensor?)> ProximalStep(ISvdOperator op, Tensor y)
    {
        var s2 = Spectral.SingularValues(op).square() * Spectral.Mask(op);
        var aty = op.Adjoint(y).to(ScalarType.Float64);
        return (x0, rho) =>
        {
            var b = aty + rho * op.Unnormalize(x0).to(ScalarType.Float64);
            var coefficients = Spectral.Vt(op, b);
            var inRange = op.V(coefficients).to(ScalarType.Float64);
            var solution = op.V(coefficients / (s2 + rho)).to(ScalarType.Float64) + (b - inRange) / rho;
            return (op.Normalize(solution).to(x0.dtype), null);
        };
    }
}
