using InverseBench.Algorithms.Common;
using InverseBench.Algorithms.Smc;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Diffusion;
using static TorchSharp.torch;

namespace InverseBench.Algorithms.Fps;

/// <summary>FPS-SMC; see <see cref="FpsOptions"/>.</summary>
internal sealed class FpsSolver : SolverBase<FpsOptions>
{
    private readonly NoiseSchedule _schedule;

    /// <summary>Creates the solver; the options are validated first.</summary>
    public FpsSolver(FpsOptions options)
        : base(options)
    {
        _schedule = new(options.Schedule);
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
        bool reference = Options.Variant == FpsVariant.Reference;
        double eta = Options.Eta, sigmaY = Math.Max(spectral.NoiseSigma, FpsDefaults.NoiseFloor);
        var sigmas = _schedule.SigmaSteps;
        var scales = _schedule.ScalingSteps;
        var device = net.Device;
        long[] signal = spectral.SignalShape;

        // Observation noise variance per observed coordinate: (σ_y/S_k)² (reference: σ_y² for every coordinate).
        var noiseVar = reference
            ? full_like(spectral.ObservedSingularValues, sigmaY * sigmaY)
            : (sigmaY / spectral.ObservedSingularValues).square();
        var target = spectral.ObservedTarget;

        // 1) The backward observation sequence Y_0..Y_N ([G, m] each).
        double start = reference ? _schedule.SigmaMax : sigmas[0];
        var z = Batching.Randn([groups, .. signal], ScalarType.Float64, device, g) * start;
        var ySequence = new Tensor[n + 1];
        var y = spectral.Observed(z);
        double ScaleOf(int j) => reference ? scales[j] : 1.0;
        ySequence[0] = y * ScaleOf(0);
        for (int j = 0; j < n; j++)
        {
            using var scope = NewDisposeScope();
            double contraction = Math.Sqrt(1 - eta * eta) * sigmas[j + 1] / sigmas[j];
            var next = target + (y - target) * contraction + Batching.Randn([groups, y.shape[1]], ScalarType.Float64, device, g) * (eta * sigmas[j + 1]);
            ySequence[j + 1] = scope.MoveToOuter(next * ScaleOf(j + 1));
            y.Dispose();
            y = scope.MoveToOuter(next);
        }

        // 2) Particles, all starting at z.
        var x = z.repeat_interleave(particles, dim: 0);
        for (int i = 0; i < n; i++)
        {
            using var scope = NewDisposeScope();
            double sigma = sigmas[i], sigmaNext = sigmas[i + 1];
            double priorVar = eta * eta * sigmaNext * sigmaNext;
            double contraction = Math.Sqrt(1 - eta * eta) * sigmaNext / sigma;
            double inputScale = reference ? scales[i] : 1.0, outputScale = reference ? scales[i + 1] : 1.0;
            var denoised = SamplerSupport.Denoise(net, x / inputScale, sigma);
            var mean = denoised + (x - denoised) * contraction;                              // prior transition mean, [GP, ..]
            var meanObs = spectral.Observed(mean).view(groups, particles, -1);
            var yObs = (reference ? ySequence[i] : ySequence[i + 1]).unsqueeze(1);          // [G, 1, m]
            var likeVar = reference ? noiseVar * (outputScale * outputScale) : noiseVar;
            var postVar = priorVar > 0 ? (1.0 / priorVar + likeVar.reciprocal()).reciprocal() : zeros_like(likeVar);
            var postMean = priorVar > 0 ? postVar * (meanObs / priorVar + yObs / likeVar) : meanObs;
            var eps = Batching.Randn(x.shape, ScalarType.Float64, device, g);
            var epsObs = spectral.Observed(eps).view(groups, particles, -1);
            var newObs = (postMean + postVar.sqrt() * epsObs) * outputScale;
            var newX = spectral.Compose(newObs.flatten(0, 1), (mean + eps * Math.Sqrt(priorVar)) * outputScale);

            Tensor logWeights;
            if (!reference)
            {
                // Predictive likelihood of Y_{i+1} under the transition: N(Y; mean_obs, η²σ_{i+1}² + σ_y²/S²).
                logWeights = -0.5 * ((yObs - meanObs).square() / (likeVar + priorVar)).sum(2);
            }
            else
            {
                // The reference's three-term weight lp_y + lp_x − lp_prev, evaluated on its mixed scaled/unscaled states.
                var lpY = -((yObs - newObs).square().sum(2)) / (2 * sigmaY * sigmaY * outputScale * outputScale);
                var diffUnobs = spectral.UnobservedSquaredNorm(mean - newX).view(groups, particles);
                var lpX = -((meanObs - newObs).square().sum(2) + diffUnobs) / (2 * priorVar);
                var lpPrev = -0.5 * ((postMean - newObs).square() / postVar).sum(2)
                             - 0.5 * spectral.UnobservedSquaredNorm(mean - newX).view(groups, particles) / priorVar;
                logWeights = lpX + lpY - lpPrev;
            }

            var ancestors = ParticleResampling.Ancestors(logWeights, Options.Resampling, g);
            var selected = ParticleResampling.Select(newX.view([groups, particles, .. signal]), ancestors).flatten(0, 1);
            x.Dispose();
            x = scope.MoveToOuter(selected);
            context.Report(new SolverStepArguments(i, n, sigma, null, Name));
        }

        foreach (var t in ySequence) t.Dispose();
        return SmcOutput.Particles(x, groups, particles, Options.ReturnAllParticles);
    }
}
