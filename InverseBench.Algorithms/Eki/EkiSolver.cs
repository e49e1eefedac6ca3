using InverseBench.Algorithms.Ensemble;
using InverseBench.Core.Abstractions;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Algorithms.Eki;

/// <summary>Ensemble Kalman Inversion with a Gaussian-random-field initial ensemble (see <see cref="EkiOptions"/>).</summary>
internal sealed class EkiSolver(EkiOptions options) : SolverBase<EkiOptions>(options)
{
    /// <summary>Forward-model evaluations only: no gradient, no prior.</summary>
    public static SolverRequirements Needs { get; } = SolverRequirements.None;

    /// <inheritdoc />
    public override SolverRequirements Requirements => Needs;

    /// <inheritdoc />
    protected override Tensor SolveCore(Tensor observation, IForwardOperator forwardOperator, IDiffusionPrior? prior, SolverContext context)
    {
        var shape = forwardOperator.SignalShape;
        if (shape.Count != 3 || shape[1] != shape[2])
        {
            throw new ArgumentException(
                $"EKI draws square 2-D random fields and needs signals [C, R, R]; operator '{forwardOperator.Name}' has signals [{string.Join(", ", shape)}].");
        }

        int resolution = Options.Resolution ?? (int)shape[1];
        if (resolution != shape[1])
        {
            throw new ArgumentException(
                $"EKI's Resolution {resolution} differs from the operator's signal resolution {shape[1]}.");
        }

        int count = Options.EnsembleSize;
        long channels = shape[0];
        using var field = new GaussianRandomField2d(resolution, Options.DomainLength, Options.Alpha, Options.Tau, forwardOperator.Device);
        var particles = field.Sample(count * channels, context.Generator).reshape(count, channels, resolution, resolution);
        for (int step = 0; step < Options.NumUpdates; step++)
        {
            using var scope = NewDisposeScope();
            var predictions = ParticleBatches.Map(particles, Options.ForwardBatchSize, forwardOperator.Forward,
                cancellationToken: context.CancellationToken);
            var residuals = predictions - observation;
            var misfit = forwardOperator.MeasurementLoss(predictions, observation).mean().ToDouble();
            var next = EnsembleKalman.Step(particles, predictions, residuals, Options.GuidanceScale);
            particles.Dispose();
            particles = scope.MoveToOuter(next);
            context.Report(new SolverStepArguments(step, Options.NumUpdates, null, misfit, Name));
        }

        return particles;
    }
}
