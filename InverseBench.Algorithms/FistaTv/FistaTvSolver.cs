using InverseBench.Core.Abstractions;
using static TorchSharp.torch;

namespace InverseBench.Algorithms.FistaTv;

/// <summary>
/// FISTA (Beck &amp; Teboulle 2009) on <c>½‖A f − y‖² + λ·L·TV(f)</c> for a linear operator, in physical units, with the TV
/// proximal step solved by FGP dual iterations (<see cref="TotalVariation.Prox"/>) and an optional box constraint.
/// Deterministic apart from the power-iteration start (the run's generator); all N requested samples are the same
/// reconstruction. Returns normalised signals.
/// </summary>
internal sealed class FistaTvSolver : SolverBase<FistaTvOptions>
{
    public FistaTvSolver(FistaTvOptions options)
        : base(options)
    {
    }

    public override SolverRequirements Requirements { get; } = SolverRequirements.Of(SolverCapability.Linear);

    protected override Tensor SolveCore(Tensor observation, IForwardOperator forwardOperator, IDiffusionPrior? prior, SolverContext context)
    {
        var op = (ILinearOperator)forwardOperator;
        var options = Options;
        var shape = new long[] { 1 }.Concat(op.SignalShape).ToArray();
        var y = observation.to(op.Device);
        if (y.shape[0] != 1)
            throw new ArgumentException($"{Name} reconstructs one observation at a time; got a batch of {y.shape[0]}.", nameof(observation));

        double lipschitz = EstimateLipschitz(op, shape, options.PowerIterations, context) * options.LipschitzSafety;
        if (!(lipschitz > 0)) throw new InvalidOperationException($"{Name}: the operator norm estimate is {lipschitz}; cannot choose a step size.");
        double step = 1 / lipschitz;
        bool box = options.BoxConstraintFor(forwardOperator.Name);
        double? lower = box ? options.BoxLower : null;
        double? upper = box ? options.BoxUpper : null;

        var x = zeros(shape, dtype: ScalarType.Float64, device: op.Device);
        if (lower is not null) x.clamp_(lower.Value, upper!.Value);
        var z = x.clone();
        double t = 1;
        for (int k = 0; k < options.Iterations; k++)
        {
            using var scope = NewDisposeScope();
            var residual = op.ForwardPhysical(z) - y;
            var gradient = op.Adjoint(residual).to_type(ScalarType.Float64);
            var next = TotalVariation.Prox(z - step * gradient, options.Lambda, options.TvIterations, lower, upper);
            double tNext = (1 + Math.Sqrt(1 + 4 * t * t)) / 2;
            var zNext = next + (t - 1) / tNext * (next - x);
            t = tNext;
            double? misfit = null;
            if (context.Progress is not null) misfit = residual.abs().square().sum().item<double>();
            x.Dispose();
            z.Dispose();
            x = scope.MoveToOuter(next);
            z = scope.MoveToOuter(zNext);
            context.Report(new SolverStepArguments(k, options.Iterations, null, misfit, Name));
        }

        z.Dispose();
        using var final = NewDisposeScope();
        var normalised = op.Normalize(x).to_type(ScalarType.Float32);
        x.Dispose();
        return final.MoveToOuter(normalised.expand(context.NumSamples, -1, -1, -1).contiguous());
    }

    /// <summary>Power iteration on <c>AᴴA</c> (real inner product) from a random start drawn from the run's generator.</summary>
    internal static double EstimateLipschitz(ILinearOperator op, long[] shape, int iterations, SolverContext context)
    {
        var v = randn(shape, dtype: ScalarType.Float64, device: op.Device, generator: context.Generator);
        v.div_(v.norm());
        double estimate = 0;
        for (int i = 0; i < iterations; i++)
        {
            using var scope = NewDisposeScope();
            var w = op.Adjoint(op.ForwardPhysical(v)).to_type(ScalarType.Float64);
            estimate = w.norm().item<double>();
            if (estimate == 0) break;
            var next = w / estimate;
            v.Dispose();
            v = scope.MoveToOuter(next);
        }

        v.Dispose();
        return estimate;
    }
}
