using InverseBench.Algorithms.Ensemble;
using InverseBench.Core.Abstractions;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Algorithms.Enkg;

/// <summary>Ensemble Kalman Diffusion Guidance (see <see cref="EnkgOptions"/>).</summary>
internal sealed class EnkgSolver(EnkgOptions options) : SolverBase<EnkgOptions>(options)
{
    /// <summary>A diffusion prior and forward evaluations; no gradient of the forward model or the network.</summary>
    public static SolverRequirements Needs { get; } = SolverRequirements.None.WithPrior();

    /// <inheritdoc />
    public override SolverRequirements Requirements => Needs;

    /// <inheritdoc />
    protected override Tensor SolveCore(Tensor observation, IForwardOperator forwardOperator, IDiffusionPrior? prior, SolverContext context)
    {
        var denoiser = prior!;
        var o = Options;
        var grid = EnkgOdeSampler.KarrasGrid(o.NumSteps, o.SigmaMax, o.SigmaMin, o.Rho);
        long[] shape = [o.EnsembleSize, .. forwardOperator.SignalShape];
        var particles = randn(shape, float32, forwardOperator.Device, generator: context.Generator) * o.SigmaMax;
        var token = context.CancellationToken;
        for (int step = 0; step < o.NumSteps; step++)
        {
            using var scope = NewDisposeScope();
            double sigma = grid[step], sigmaNext = grid[step + 1];
            double? misfit = null;
            var current = particles;
            if (o.IsGuided(step))
            {
                (current, misfit) = Guide(current, observation, forwardOperator, denoiser, o.OdeSteps(step), sigma, o.StepSize(step), token);
            }

            var denoised = ParticleBatches.Map(current, o.BatchSize, x => denoiser.Denoise(x, sigma), o.Remainder, token);
            var next = EnkgOdeSampler.EulerStep(current, denoised, sigma, sigmaNext);
            particles.Dispose();
            particles = scope.MoveToOuter(next);
            context.Report(new SolverStepArguments(step, o.NumSteps, sigma, misfit, Name));
        }

        return particles;
    }

    /// <summary><see cref="EnkgOptions.NumUpdates"/> Kalman updates of the particles at noise level <paramref name="sigma"/>.</summary>
    private (Tensor Particles, double? Misfit) Guide(Tensor particles, Tensor observation, IForwardOperator forwardOperator,
        IDiffusionPrior prior, int odeSteps, double sigma, double stepSize, CancellationToken token)
    {
        var o = Options;
        double? misfit = null;
        var current = particles.alias();
        for (int update = 0; update < o.NumUpdates; update++)
        {
            using var scope = NewDisposeScope();
            var estimates = ParticleBatches.Map(current, o.BatchSize,
                x => EnkgOdeSampler.Sample(prior, x, odeSteps, sigma, EnkgDefaults.OdeSigmaEpsilon, EnkgOdeSampler.DefaultRho, token),
                o.Remainder, token);
            var predictions = ParticleBatches.Map(estimates, o.ForwardBatchSize, forwardOperator.Forward, cancellationToken: token);
            var residuals = 0.5 * forwardOperator.MeasurementGradient(predictions, observation);
            misfit = forwardOperator.MeasurementLoss(predictions, observation).mean().ToDouble();
            var next = EnsembleKalman.Step(current, predictions, residuals, stepSize);
            current.Dispose();
            current = scope.MoveToOuter(next);
        }

        return (current, misfit);
    }
}
