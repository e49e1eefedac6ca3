using InverseBench.Core.Abstractions;
using InverseBench.Core.Diffusion;
using static TorchSharp.torch;

namespace InverseBench.Operators.Mri.Baselines;

/// <summary>
/// CSGM-MRI — reference <c>algo/csgm_mri.py</c>: from a uniform draw in <c>[0, 1)</c>, for each noise level σ_i after
/// <see cref="CsgmMriOptions.StartIteration"/>, Langevin steps <c>x ← x + s(∇log p_σ(x) − g) + sqrt(2s)·ε</c> with
/// <c>s = step_lr·(σ_i/σ_end)²</c>, the score from the prior's denoiser by Tweedie and <c>g</c> the data-misfit gradient
/// rescaled to the score's norm times <c>mse</c>. The reference normalises with norms over the whole batch (it only ever
/// runs one sample); here each sample is normalised by its own norms, which is the same for one sample. The reference
/// also ignores <c>num_samples</c>; here every requested sample is drawn.
/// </summary>
internal sealed class CsgmMriSolver(CsgmMriOptions options) : SolverBase<CsgmMriOptions>(options)
{
    public override SolverRequirements Requirements { get; } = SolverRequirements.Of(SolverCapability.Gradient).WithPrior();

    protected override Tensor SolveCore(Tensor observation, IForwardOperator forwardOperator, IDiffusionPrior? prior, SolverContext context)
    {
        var sigmas = Options.Sigmas();
        var shape = new long[] { context.NumSamples }.Concat(forwardOperator.SignalShape).ToArray();
        var x = rand(shape, dtype: ScalarType.Float32, device: context.Generator.device, generator: context.Generator).to(forwardOperator.Device);
        int total = Options.NumSteps - Options.StartIteration - 1;
        int done = 0;
        for (int i = Options.StartIteration + 1; i < Options.NumSteps; i++)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            int inner = i <= Options.SwitchIteration ? 3 : Options.StepsEach;
            double sigma = sigmas[i];
            double step = Options.StepLr * Math.Pow(sigma / sigmas[^1], 2);
            var current = x;
            for (int k = 0; k < inner; k++)
            {
                var measurementGradient = forwardOperator.Gradient(current, observation).to_type(current.dtype);
                var score = (prior!.Denoise(current, sigma).to_type(current.dtype) - current) / (sigma * sigma);
                var scale = PerSampleNorm(score) / PerSampleNorm(measurementGradient).clamp_min(1e-30) * Options.MeasurementWeight;
                var noise = randn(current.shape, dtype: current.dtype, device: context.Generator.device, generator: context.Generator).to(current.device);
                current = current + step * (score - measurementGradient * scale) + Math.Sqrt(2 * step) * noise;
            }

            x.Dispose();
            x = scope.MoveToOuter(current);
            context.Report(new SolverStepArguments(done++, total, sigma, null, Name));
        }

        return x;
    }

    /// <summary>The L2 norm of each batch item, shaped <c>[B, 1, ..]</c> to broadcast against <paramref name="t"/>.</summary>
    internal static Tensor PerSampleNorm(Tensor t)
    {
        var shape = new long[t.dim()];
        Array.Fill(shape, 1L);
        shape[0] = t.shape[0];
        return t.flatten(1).norm(1).reshape(shape);
    }
}

/// <summary>
/// Score-MRI — reference <c>algo/score_mri.py</c>: from <c>σ_max·N(0, I)</c>, each step runs the reverse-SDE predictor
/// <c>x ← x·scaling_factor_i + factor_i·score + sqrt(factor_i)·ε</c> (score of <c>x/s_i</c> at σ_i, divided by s_i), a
/// data-consistency step <c>x ← x − lamb·∇‖A x − y‖²</c>, then <see cref="ScoreMriOptions.CorrectorSteps"/> Langevin
/// corrections at σ_{i+1} with step <c>2·lr·‖ε‖/‖score‖</c>, each followed by data consistency. Norms are per sample
/// (the reference's are over the batch, which it only ever sizes 1).
/// </summary>
internal sealed class ScoreMriSolver(ScoreMriOptions options) : SolverBase<ScoreMriOptions>(options)
{
    public override SolverRequirements Requirements { get; } = SolverRequirements.Of(SolverCapability.Gradient).WithPrior();

    protected override Tensor SolveCore(Tensor observation, IForwardOperator forwardOperator, IDiffusionPrior? prior, SolverContext context)
    {
        var schedule = new NoiseSchedule(Options.Schedule);
        var shape = new long[] { context.NumSamples }.Concat(forwardOperator.SignalShape).ToArray();
        var x = (randn(shape, dtype: ScalarType.Float32, device: context.Generator.device, generator: context.Generator) * schedule.SigmaMax).to(forwardOperator.Device);
        Tensor Score(Tensor v, int index)
        {
            double sigma = schedule.SigmaSteps[index], s = schedule.ScalingSteps[index];
            var scaled = v / s;
            return (prior!.Denoise(scaled, sigma).to_type(v.dtype) - scaled) / (sigma * sigma) / s;
        }

        Tensor Project(Tensor v) => v - Options.DataConsistencyStep * forwardOperator.Gradient(v, observation).to_type(v.dtype);
        Tensor Noise(Tensor like) => randn(like.shape, dtype: like.dtype, device: context.Generator.device, generator: context.Generator).to(like.device);

        for (int i = 0; i < schedule.NumSteps; i++)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            double factor = schedule.FactorSteps[i];
            var current = x * schedule.ScalingFactor[i] + factor * Score(x, i) + Math.Sqrt(factor) * Noise(x);
            current = Project(current);
            for (int k = 0; k < Options.CorrectorSteps; k++)
            {
                var score = Score(current, i + 1);
                var epsilon = Noise(current);
                var lr = 2 * Options.CorrectorLr * CsgmMriSolver.PerSampleNorm(epsilon) / CsgmMriSolver.PerSampleNorm(score).clamp_min(1e-30);
                current = Project(current + lr * score + (2 * lr).sqrt() * epsilon);
            }

            x.Dispose();
            x = scope.MoveToOuter(current);
            context.Report(new SolverStepArguments(i, schedule.NumSteps, schedule.SigmaSteps[i], null, Name));
        }

        return x;
    }
}
