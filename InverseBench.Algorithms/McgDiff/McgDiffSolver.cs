using InverseBench.Algorithms.Common;
using InverseBench.Algorithms.Smc;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Diffusion;
using static TorchSharp.torch;

namespace InverseBench.Algorithms.McgDiff;

/// <summary>MCG-diff; see <see cref="McgDiffOptions"/>.</summary>
internal sealed class McgDiffSolver : SolverBase<McgDiffOptions>
{
    private readonly NoiseSchedule _schedule;

    /// <summary>Creates the solver; the options are validated first.</summary>
    public McgDiffSolver(McgDiffOptions options)
        : base(options)
    {
        _schedule = new NoiseSchedule(options.Schedule);
    }

    /// <inheritdoc />
    public override SolverRequirements Requirements { get; } = SolverRequirements.Of(SolverCapability.Svd).WithPrior();

    /// <inheritdoc />
    protected override Tensor SolveCore(Tensor observation, IForwardOperator forwardOperator, IDiffusionPrior? prior, SolverContext context)
    {
        var net = prior!;
        using var spectral = new SpectralCoordinates((ISvdOperator)forwardOperator, observation);
        var g = context.Generator;
        int groups = context.NumSamples, particles = Options.NumParticles, n = _schedule.NumSteps;
        bool reference = Options.Variant == McgDiffVariant.Reference;
        var sigmas = _schedule.SigmaSteps;
        var factors = _schedule.FactorSteps;
        var device = net.Device;
        long[] signal = spectral.SignalShape;
        long m = spectral.ObservedCount;
        var target = spectral.ObservedTarget.unsqueeze(1);                                  // [1, 1, m]
        var noiseVar = reference ? zeros_like(spectral.ObservedNoiseStd) : spectral.ObservedNoiseStd.square();

        // v(σ) = σ² − σ_y²/S² (clamped at 0): the variance linking ȳ to a particle at level σ.
        Tensor Link(double sigma) => (sigma * sigma - noiseVar).clamp_min(0);
        double Gain(int t) => t == n ? 1.0 : factors[t] / (factors[t] + sigmas[t] * sigmas[t]);   // reference K(t)

        // Initial particles at σ_0.
        var z = Batching.Randn([groups * particles, .. signal], ScalarType.Float64, device, g);
        Tensor x;
        using (var init = NewDisposeScope())
        {
            var zObs = spectral.Observed(z).view(groups, particles, m);
            Tensor obs;
            if (reference)
            {
                obs = zObs * (_schedule.SigmaMax * Gain(0));
                x = spectral.Compose(obs.flatten(0, 1), z * _schedule.SigmaMax);
            }
            else
            {
                double s0 = sigmas[0] * sigmas[0];
                var v0 = Link(sigmas[0]);
                var postVar = s0 * v0 / (s0 + v0);
                var postMean = target * (s0 / (s0 + v0));
                obs = postMean + postVar.sqrt() * zObs;
                x = spectral.Compose(obs.flatten(0, 1), z * sigmas[0]);
            }

            x = init.MoveToOuter(x);
        }

        z.Dispose();
        for (int i = 0; i < n; i++)
        {
            using var scope = NewDisposeScope();
            double sigma = sigmas[i], sigmaNext = sigmas[i + 1], f = factors[i];
            var denoised = SamplerSupport.Denoise(net, x, sigma, Options.MaxDenoiserBatch);
            var mean = x + (denoised - x) * (f / (sigma * sigma));                          // Euler–Maruyama mean (c = s = 1)
            var meanObs = spectral.Observed(mean).view(groups, particles, m);
            var currentObs = spectral.Observed(x).view(groups, particles, m);
            var eps = Batching.Randn(x.shape, ScalarType.Float64, device, g);

            Tensor logWeights, newObs;
            if (reference)
            {
                var lp = -(target - meanObs).square().sum(2) / (2 * (sigmaNext * sigmaNext + f))
                         + (target - currentObs).square().sum(2) / (2 * sigma * sigma);
                lp = (lp - lp.min(1, keepdim: true).values).clamp_max(McgDiffDefaults.ReferenceLogWeightCap);
                var ancestors = ParticleResampling.Ancestors(lp, Options.Resampling, g);
                mean = ParticleResampling.Select(mean.view([groups, particles, .. signal]), ancestors).flatten(0, 1);
                meanObs = ParticleResampling.Select(meanObs, ancestors);
                double k = Gain(i + 1);
                var eps2 = Batching.Randn(x.shape, ScalarType.Float64, device, g);
                newObs = target * k + meanObs * (1 - k) + spectral.Observed(eps).view(groups, particles, m) * (Math.Sqrt(k) * sigmaNext);
                eps = eps2;
            }
            else
            {
                var vNow = Link(sigma);
                var vNext = Link(sigmaNext);
                var conditioned = vNow > 0;                                                 // ȳ still informs this coordinate at σ_i
                var predictiveVar = vNext + f;
                var usable = conditioned & (predictiveVar > 0);
                var predictive = where(usable, (target - meanObs).square() / predictiveVar.clamp_min(double.Epsilon), zeros_like(meanObs));
                var previous = where(conditioned, (target - currentObs).square() / vNow.clamp_min(double.Epsilon), zeros_like(currentObs));
                logWeights = (-0.5 * (predictive - previous)).sum(2);
                var ancestors = ParticleResampling.Ancestors(logWeights, Options.Resampling, g);
                mean = ParticleResampling.Select(mean.view([groups, particles, .. signal]), ancestors).flatten(0, 1);
                meanObs = ParticleResampling.Select(meanObs, ancestors);
                var gain = where(vNext > 0, f / (f + vNext).clamp_min(double.Epsilon), ones_like(vNext));
                var epsObs = spectral.Observed(eps).view(groups, particles, m);
                var guided = target * gain + meanObs * (1 - gain) + epsObs * (gain * vNext).sqrt();
                var free = meanObs + epsObs * Math.Sqrt(f);
                newObs = where(conditioned, guided, free);
            }

            var next = spectral.Compose(newObs.flatten(0, 1), mean + eps * Math.Sqrt(f));
            x.Dispose();
            x = scope.MoveToOuter(next);
            context.Report(new SolverStepArguments(i, n, sigma, null, Name));
        }

        return SmcOutput.Particles(x, groups, particles, Options.ReturnAllParticles);
    }
}
