using InverseBench.Core.Abstractions;
using InverseBench.Operators.Mri.Functional;
using static TorchSharp.torch;

namespace InverseBench.Operators.Mri.Baselines;

/// <summary>
/// Compressed-sensing MRI — the reference's <c>algo/cs_mri.py</c>, which calls sigpy 0.1.27's <c>L1WaveletRecon</c>,
/// <c>TotalVariationRecon</c> or <c>SenseRecon</c> with default settings, re-implemented on the operator:
/// <list type="bullet">
/// <item><c>L1Wavelet</c>: accelerated proximal gradient (sigpy <c>GradientMethod</c>, <c>accelerate=True</c>) with step
/// <c>1/λ_max(AᴴA)</c> and the prox <c>Wᴴ soft(W x, step·λ)</c> of the db4 transform <see cref="Wavelet2D"/>;</item>
/// <item><c>TV</c>: primal–dual hybrid gradient on <c>[A; G]</c> with σ = 1, τ = <c>1/λ_max(AᴴA + GᴴG)</c>, the dual prox
/// of <c>½‖· − y‖²</c> and the projection onto the λ-ball (sigpy <c>PrimalDualHybridGradient</c>);</item>
/// <item><c>Sense</c>: conjugate gradient on <c>(AᴴA + λI) x = Aᴴ y</c>.</item>
/// </list>
/// All start from zero; the power iterations start from a draw of the run's generator. The N requested samples are the
/// same reconstruction (the method is deterministic).
/// </summary>
internal sealed class CsMriSolver(CsMriOptions options) : SolverBase<CsMriOptions>(options)
{
    public override SolverRequirements Requirements { get; } = SolverRequirements.Of(SolverCapability.Linear);

    protected override Tensor SolveCore(Tensor observation, IForwardOperator forwardOperator, IDiffusionPrior? prior, SolverContext context)
    {
        var a = new ComplexImageOperator(forwardOperator, Name);
        if (observation.shape[0] != 1)
            throw new ArgumentException($"{Name} reconstructs one observation at a time; got a batch of {observation.shape[0]}.", nameof(observation));
        var y = observation.to(a.Device).to_type(ScalarType.Float64);
        var x = Options.Mode switch
        {
            CsMriMode.L1Wavelet => L1Wavelet(a, y, context),
            CsMriMode.TV => TotalVariation(a, y, context),
            CsMriMode.Sense => Sense(a, y, context),
            _ => throw new ArgumentOutOfRangeException(nameof(observation), Options.Mode, "Unknown CS-MRI mode."),
        };
        using var scope = NewDisposeScope();
        var channels = forwardOperator.Normalize(MultiCoilMriOperator.ToChannels(x)).to_type(ScalarType.Float32);
        x.Dispose();
        return scope.MoveToOuter(channels.expand(context.NumSamples, -1, -1, -1).contiguous());
    }

    private Tensor L1Wavelet(ComplexImageOperator a, Tensor y, SolverContext context)
    {
        double maxEig = a.MaxEigenvalue(null, Options.PowerIterations, context.Generator);
        double alpha = maxEig == 0 ? 1 : 1 / maxEig;
        var x = zeros([1, a.Height, a.Width], dtype: ScalarType.ComplexFloat64, device: a.Device);
        var z = x.clone();
        double t = 1;
        for (int k = 0; k < Options.Iterations; k++)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var residual = a.Forward(z) - y;
            var gradientStep = z - alpha * a.Adjoint(residual);
            var next = Wavelet2D.Adjoint(Wavelet2D.SoftThreshold(Wavelet2D.Forward(gradientStep), alpha * Options.Lambda));
            double tOld = t;
            t = (1 + Math.Sqrt(1 + 4 * tOld * tOld)) / 2;
            var zNext = next + (tOld - 1) / t * (next - x);
            x.Dispose();
            z.Dispose();
            x = scope.MoveToOuter(next);
            z = scope.MoveToOuter(zNext);
            Report(context, k, residual);
        }

        z.Dispose();
        return x;
    }

    private Tensor TotalVariation(ComplexImageOperator a, Tensor y, SolverContext context)
    {
        const double sigma = 1;
        double maxEig = a.MaxEigenvalue(v => FiniteDifference.Adjoint(FiniteDifference.Forward(v)), Options.PowerIterations, context.Generator);
        double tau = 1 / maxEig;
        var x = zeros([1, a.Height, a.Width], dtype: ScalarType.ComplexFloat64, device: a.Device);
        var xExtended = x.clone();
        var dualData = zeros_like(y);
        var dualGradient = zeros([1, 2, a.Height, a.Width], dtype: ScalarType.ComplexFloat64, device: a.Device);
        for (int k = 0; k < Options.Iterations; k++)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var forward = a.Forward(xExtended);
            var u1 = (dualData + sigma * forward - sigma * y) / (1 + sigma);
            var u2 = dualGradient + sigma * FiniteDifference.Forward(xExtended);
            u2 = u2 * (Options.Lambda / u2.abs().clamp_min(1e-300)).clamp_max(1.0);          // projection onto |v| ≤ λ
            var next = x - tau * (a.Adjoint(u1) + FiniteDifference.Adjoint(u2));
            var extended = 2 * next - x;
            var residual = forward - y;
            foreach (var old in new[] { x, xExtended, dualData, dualGradient }) old.Dispose();
            x = scope.MoveToOuter(next);
            xExtended = scope.MoveToOuter(extended);
            dualData = scope.MoveToOuter(u1);
            dualGradient = scope.MoveToOuter(u2);
            Report(context, k, residual);
        }

        foreach (var t in new[] { xExtended, dualData, dualGradient }) t.Dispose();
        return x;
    }

    private Tensor Sense(ComplexImageOperator a, Tensor y, SolverContext context)
    {
        Tensor Normal(Tensor v) => a.Adjoint(a.Forward(v)) + Options.Lambda * v;
        static double Dot(Tensor u, Tensor v) => (u.conj() * v).real.sum().item<double>();
        var x = zeros([1, a.Height, a.Width], dtype: ScalarType.ComplexFloat64, device: a.Device);
        var r = a.Adjoint(y);
        var p = r.clone();
        double rr = Dot(r, r);
        for (int k = 0; k < Options.Iterations && rr > 0; k++)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var ap = Normal(p);
            double alpha = rr / Dot(p, ap);
            var xNext = x + alpha * p;
            var rNext = r - alpha * ap;
            double rrNext = Dot(rNext, rNext);
            var pNext = rNext + rrNext / rr * p;
            rr = rrNext;
            foreach (var old in new[] { x, r, p }) old.Dispose();
            x = scope.MoveToOuter(xNext);
            r = scope.MoveToOuter(rNext);
            p = scope.MoveToOuter(pNext);
            context.Report(new SolverStepArguments(k, Options.Iterations, null, null, Name));
        }

        r.Dispose();
        p.Dispose();
        return x;
    }

    private void Report(SolverContext context, int k, Tensor residual)
    {
        double? misfit = context.Progress is null ? null : residual.square().sum().item<double>();
        context.Report(new SolverStepArguments(k, Options.Iterations, null, misfit, Name));
    }
}
