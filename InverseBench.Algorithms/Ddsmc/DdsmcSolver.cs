using InverseBench.Algorithms.Common;
using InverseBench.Algorithms.Smc;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Diffusion;
using static TorchSharp.torch;

namespace InverseBench.Algorithms.Ddsmc;

/// <summary>DDSMC; see <see cref="DdsmcOptions"/>.</summary>
internal sealed class DdsmcSolver : SolverBase<DdsmcOptions>
{
    private readonly NoiseSchedule _annealing;
    private readonly NoiseSchedule _rho;

    /// <summary>Creates the solver; the options are validated first.</summary>
    public DdsmcSolver(DdsmcOptions options)
        : base(options)
    {
        _annealing = new NoiseSchedule(options.AnnealingSchedule);
        _rho = new NoiseSchedule(options.RhoSchedule);
    }

    /// <inheritdoc />
    public override SolverRequirements Requirements { get; } = SolverRequirements.Of(SolverCapability.Svd).WithPrior();

    private double SigmaAt(int step) => _annealing.SigmaSteps[step];

    // ρ_t = reversed ρ-schedule (reference rho_t = sigma_steps[::-1]), indexed by t = N − step.
    private double RhoAt(int t) => _rho.SigmaSteps[_rho.NumSteps - t];

    /// <inheritdoc />
    protected override Tensor SolveCore(Tensor observation, IForwardOperator forwardOperator, IDiffusionPrior? prior, SolverContext context)
    {
        var net = prior!;
        using var spectral = new SpectralCoordinates((ISvdOperator)forwardOperator, observation);
        var g = context.Generator;
        int groups = context.NumSamples, particles = Options.NumParticles, n = _annealing.NumSteps;
        long[] signal = spectral.SignalShape;
        long m = spectral.ObservedCount;
        double noise = Options.ReferenceCompatible ? forwardOperator.Noise.Sigma : spectral.NoiseSigma;
        var singular = spectral.ObservedSingularValues;
        var measured = spectral.ObservedTarget * singular;                                   // (Uᵀy')[M], [1, m]

        var x = Batching.Randn([groups * particles, .. signal], ScalarType.Float64, net.Device, g) * _annealing.SigmaMax;
        Tensor? x0Prev = null, xPrev = null, logLikPrev = null, logProposalPrev = null;
        for (int step = 0; step < n; step++)
        {
            using var scope = NewDisposeScope();
            int t = n - step;
            var x0 = Reconstruct(net, x, step, g, context.CancellationToken);
            var logLik = LogLikelihood(spectral, x0, measured, singular, noise, RhoAt(t), groups, particles);
            var logWeights = step == 0
                ? logLik
                : logLik + TargetLogDensity(x, xPrev!, x0Prev!, t, groups, particles) - logLikPrev! - logProposalPrev!;
            var ancestors = ParticleResampling.Ancestors(logWeights, Options.Resampling, g);
            var x0Selected = ParticleResampling.Select(x0.view([groups, particles, .. signal]), ancestors).flatten(0, 1);
            var xSelected = ParticleResampling.Select(x.view([groups, particles, .. signal]), ancestors).flatten(0, 1);
            var logLikSelected = logLik.gather(1, ancestors);
            var (proposed, logProposal) = Propose(spectral, x0Selected, xSelected, measured, singular, noise, t, step, g, groups, particles);

            foreach (var old in new[] { x, x0Prev, xPrev, logLikPrev, logProposalPrev }) old?.Dispose();
            x = scope.MoveToOuter(proposed);
            x0Prev = scope.MoveToOuter(x0Selected);
            xPrev = scope.MoveToOuter(xSelected);
            logLikPrev = scope.MoveToOuter(logLikSelected);
            logProposalPrev = scope.MoveToOuter(logProposal);
            context.Report(new SolverStepArguments(step, n, SigmaAt(step), null, Name));
        }

        using (var final = NewDisposeScope())
        {
            var logLik = LogLikelihood(spectral, x, measured, singular, noise, 0, groups, particles);
            var logWeights = logLik - logLikPrev! - logProposalPrev!;
            var chosen = ParticleResampling.SelectOne(logWeights, g).unsqueeze(1);
            var sample = ParticleResampling.Select(x.view([groups, particles, .. signal]), chosen).squeeze(1);
            return final.MoveToOuter(sample.to_type(ScalarType.Float32));
        }
    }

    private Tensor Reconstruct(IDiffusionPrior net, Tensor x, int step, TorchSharp.torch.Generator g, CancellationToken token)
    {
        double sigma = SigmaAt(step);
        if (Options.Reconstruction == DdsmcReconstruction.Tweedie || !(sigma > Options.DiffusionSchedule.SigmaMin))
            return SamplerSupport.Denoise(net, x, sigma);
        using var scope = NewDisposeScope();
        var inner = Options.DiffusionSchedule.Clone();
        inner.SigmaMax = sigma;
        var result = DiffusionSampler.Sample(net, x.to_type(ScalarType.Float32), new NoiseSchedule(inner), sde: false, generator: g, token);
        return scope.MoveToOuter(result.to_type(ScalarType.Float64));
    }

    // log N(y'; S x̂₀, σ² + ρ² S²) on observed directions, without the constant: [G, P].
    private static Tensor LogLikelihood(SpectralCoordinates spectral, Tensor x0, Tensor measured, Tensor singular, double noise,
        double rho, int groups, int particles)
    {
        using var scope = NewDisposeScope();
        var predicted = spectral.Observed(x0) * singular;
        var variance = noise * noise + rho * rho * singular.square();
        var result = (-0.5 * (predicted - measured).square() / variance).sum(1).view(groups, particles);
        return scope.MoveToOuter(result);
    }

    // Target transition log-density (reference evaluate_target_transition), t > 0: N(x_t; μ, d I) without the constant.
    private Tensor TargetLogDensity(Tensor x, Tensor xPrev, Tensor x0Prev, int t, int groups, int particles)
    {
        using var scope = NewDisposeScope();
        int step = _annealing.NumSteps - t;
        double s2 = Math.Pow(SigmaAt(step), 2), delta = Math.Pow(SigmaAt(step - 1), 2) - s2;
        if (!(delta > 0)) throw new InvalidOperationException($"Solver '{Name}': the annealing levels must decrease strictly (step {step}).");
        double variance = delta * s2 / (Options.Eta * s2 + delta);
        var mean = xPrev * (Options.Eta / (Options.Eta + delta / s2)) + x0Prev * (1.0 / (Options.Eta * s2 / delta + 1));
        var result = (-0.5 / variance * (x - mean).flatten(1).square().sum(1)).view(groups, particles);
        return scope.MoveToOuter(result);
    }

    // The proposal (reference proposal + get_Minv_Minvb): returns the new particles and log q(x_new) without the constant.
    private (Tensor X, Tensor LogDensity) Propose(SpectralCoordinates spectral, Tensor x0, Tensor xPrev, Tensor measured, Tensor singular,
        double noise, int t, int step, TorchSharp.torch.Generator g, int groups, int particles)
    {
        using var scope = NewDisposeScope();
        double s2 = Math.Pow(SigmaAt(step + 1), 2), delta = Math.Pow(SigmaAt(step), 2) - s2;
        if (!(delta > 0)) throw new InvalidOperationException($"Solver '{Name}': the annealing levels must decrease strictly (step {step}).");
        double eta = Options.Eta;
        double meanFactor = delta / (eta * s2 + delta), prevFactor = eta * s2 / (eta * s2 + delta);
        double rho = RhoAt(t), rho2 = rho * rho;
        var denominator = singular.square() * rho2 + noise * noise;
        var mInvObs = rho2 * noise * noise / denominator;
        var bObs = measured * (rho2 * singular / denominator) + spectral.Observed(x0) * (noise * noise / denominator);
        var meanObs = bObs * meanFactor + spectral.Observed(xPrev) * prevFactor;
        var meanRest = x0 * meanFactor + xPrev * prevFactor;
        var eps = Batching.Randn(x0.shape, ScalarType.Float64, x0.device, g);
        var epsObs = spectral.Observed(eps);
        Tensor newX, logDensity;
        if (t > 1)
        {
            var dObs = (s2 * meanFactor - meanFactor * meanFactor * rho2) + mInvObs * (meanFactor * meanFactor);
            double dRest = s2 * meanFactor;
            if (!(dObs.min().item<double>() >= 0))
            {
                throw new InvalidOperationException(
                    $"Solver '{Name}': the proposal variance is negative at step {step} (σ = {SigmaAt(step):G4}, ρ = {rho:G4}); lower rho_scheduler_config.sigma_max.");
            }

            newX = spectral.Compose(meanObs + dObs.sqrt() * epsObs, meanRest + eps * Math.Sqrt(dRest));
            // (x − μ)²/d = ε² coordinate-wise: observed part plus the unobserved remainder of ε.
            logDensity = (-0.5 * (epsObs.square().sum(1) + spectral.UnobservedSquaredNorm(eps))).view(groups, particles);
        }
        else
        {
            newX = spectral.Compose(meanObs, meanRest);
            logDensity = zeros(groups, particles, dtype: ScalarType.Float64, device: x0.device);
        }

        return (scope.MoveToOuter(newX), scope.MoveToOuter(logDensity));
    }
}
