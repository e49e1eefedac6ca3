using InverseBench.Algorithms.Ensemble;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Diffusion;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Algorithms.Dpg;

/// <summary>Diffusion Policy Gradient (see <see cref="DpgOptions"/>).</summary>
internal sealed class DpgSolver : SolverBase<DpgOptions>, IDisposable
{
    private const double ZMomentum = DpgDefaults.ZMomentum;
    private readonly NoiseSchedule _schedule;
    private Tensor? _persistentZ, _persistentGradient;

    /// <summary>Creates the solver.</summary>
    public DpgSolver(DpgOptions options) : base(options) => _schedule = new NoiseSchedule(options.Schedule);

    /// <summary>A prior (with a differentiable denoiser) and forward evaluations; no forward-model gradient.</summary>
    public static SolverRequirements Needs { get; } = SolverRequirements.None.WithPrior();

    /// <inheritdoc />
    public override SolverRequirements Requirements => Needs;

    /// <inheritdoc />
    protected override Tensor SolveCore(Tensor observation, IForwardOperator forwardOperator, IDiffusionPrior? prior, SolverContext context)
    {
        var samples = new List<Tensor>();
        try
        {
            for (int sample = 0; sample < context.NumSamples; sample++)
            {
                using var scope = NewDisposeScope();
                samples.Add(scope.MoveToOuter(SolveOne(observation, forwardOperator, prior!, context, sample)));
            }

            return cat(samples, 0);
        }
        finally
        {
            foreach (var s in samples) s.Dispose();
        }
    }

    private Tensor SolveOne(Tensor observation, IForwardOperator op, IDiffusionPrior prior, SolverContext context, int sample)
    {
        var o = Options;
        int steps = _schedule.NumSteps;
        long[] shape = [1, .. op.SignalShape];
        long pixels = shape.Skip(1).Aggregate(1L, (a, b) => a * b);
        var x = randn(shape, float32, op.Device, generator: context.Generator) * _schedule.SigmaMax;
        Tensor? z = o.ReferencePersistState ? _persistentZ?.alias() : null;
        Tensor? previousGradient = o.ReferencePersistState ? _persistentGradient?.alias() : null;
        for (int i = 0; i < steps; i++)
        {
            using var scope = NewDisposeScope();
            double beta3 = (double)(steps - i - 1) / steps;
            var current = x.detach().requires_grad_(true);
            Tensor denoised;
            using (enable_grad()) denoised = DiffusionSteps.Denoise(prior, current, _schedule, i);
            Tensor rawGradient, referenceLoss;
            using (no_grad())
            {
                var reference = denoised.detach();
                referenceLoss = op.Loss(reference, observation);
                var newZ = z is null ? referenceLoss : ZMomentum * z + (1 - ZMomentum) * referenceLoss;
                z?.Dispose();
                z = scope.MoveToOuter(newZ.alias());
                var radius = (z / pixels).sqrt().div(2).clamp_min(o.RMin);
                var cotangent = PolicyCotangent(op, observation, reference, referenceLoss, z, radius, context);
                using (enable_grad()) rawGradient = autograd.grad([denoised], [current], [cotangent])[0].detach();
            }

            Tensor gradient;
            if (previousGradient is null)
            {
                gradient = rawGradient;
            }
            else
            {
                double w = o.Beta * beta3;
                gradient = w * previousGradient + (1 - w) * rawGradient;
                previousGradient.Dispose();
            }

            previousGradient = scope.MoveToOuter(rawGradient.alias());
            var direction = -gradient / (gradient.norm() + 1e-7);
            var score = DiffusionSteps.ScaledScore(denoised.detach(), current.detach(), _schedule, i) + o.GuidanceScale * direction;
            var next = DiffusionSteps.Step(current.detach(), score, _schedule, i, o.Sde, context.Generator);
            x.Dispose();
            x = scope.MoveToOuter(next);
            context.Report(new SolverStepArguments(sample * steps + i, context.NumSamples * steps, _schedule.SigmaSteps[i],
                referenceLoss.mean().ToDouble(), Name));
        }

        if (o.ReferencePersistState)
        {
            _persistentZ?.Dispose();
            _persistentGradient?.Dispose();
            _persistentZ = z?.DetachFromDisposeScope();
            _persistentGradient = previousGradient?.DetachFromDisposeScope();
        }
        else
        {
            z?.Dispose();
            previousGradient?.Dispose();
        }

        return x;
    }

    /// <summary>
    /// The cotangent <c>∂J/∂D = Σ_k (w_k − b_k)(D − X_k)/(M r²)</c> of the policy objective
    /// <c>J = mean_k (w_k − b_k)‖X_k − D‖²/(2r²)</c> with candidates <c>X_k = D + r ε_k</c>.
    /// </summary>
    private Tensor PolicyCotangent(IForwardOperator op, Tensor observation, Tensor denoised, Tensor referenceLoss, Tensor z, Tensor radius,
        SolverContext context)
    {
        var o = Options;
        using var scope = NewDisposeScope();
        long[] shape = [o.NumMcSamples, .. denoised.shape.Skip(1)];
        var r = radius.reshape(-1, 1, 1, 1);
        var candidates = denoised + randn(shape, denoised.dtype, denoised.device, generator: context.Generator) * r;
        var losses = ParticleBatches.Map(candidates, o.BatchSize, batch => op.Loss(batch, observation),
            cancellationToken: context.CancellationToken);
        var rewards = (-(losses - referenceLoss) / z).exp();
        var baseline = (rewards.sum() - rewards) / (o.NumMcSamples - 1);
        var weights = (rewards - baseline).reshape(-1, 1, 1, 1);
        var cotangent = (weights * (denoised - candidates)).sum(0, keepdim: true) / (o.NumMcSamples * r.square());
        return scope.MoveToOuter(cotangent.to(denoised.dtype));
    }

    /// <summary>Releases the state carried across solves in reference mode.</summary>
    public void Dispose()
    {
        _persistentZ?.Dispose();
        _persistentGradient?.Dispose();
    }
}
