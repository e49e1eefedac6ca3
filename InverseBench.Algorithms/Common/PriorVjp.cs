using InverseBench.Core.Abstractions;
using static TorchSharp.torch;

namespace InverseBench.Algorithms.Common;

/// <summary>
/// The denoiser together with a vector–Jacobian product through it: <c>D = D(x/s; σ)</c> and
/// <c>∂⟨v, D⟩/∂x = (1/s)·J_D(x/s)ᵀ v</c> in one call, where the cotangent <c>v</c> may depend on <c>D</c> (DPS: the data-misfit
/// gradient at <c>D</c>; ΠGDM: the pseudo-inverse residual of <c>D</c>). No autograd graph outlives the call: both results
/// are detached, and the graph through the prior is freed by the backward pass.
/// </summary>
internal static class PriorVjp
{
    /// <summary>The result: the detached denoised estimate and the input gradient.</summary>
    /// <param name="Denoised"><c>D(x/s; σ)</c>, detached, shape and dtype of x.</param>
    /// <param name="InputGradient"><c>∂⟨v, D⟩/∂x</c>, detached, shape of x.</param>
    internal readonly record struct Result(Tensor Denoised, Tensor InputGradient);

    /// <summary>
    /// Evaluates <c>D(x/inputScale; σ)</c> with gradients enabled, asks <paramref name="cotangent"/> for <c>v</c> given the
    /// detached <c>D</c> (it runs with gradients enabled, so it may call <see cref="IForwardOperator.Gradient"/>), and returns
    /// <c>D</c> and <c>∂⟨v, D⟩/∂x</c>. Every tensor (also those the callback creates and captures, such as a loss) lives in
    /// the caller's dispose scope, normally the step's <see cref="StepScope"/>.
    /// </summary>
    /// <param name="prior">The denoiser.</param>
    /// <param name="x">The (scaled) state, <c>[B, C, R, R]</c>; not modified, no graph is built into it.</param>
    /// <param name="sigma">The noise level σ.</param>
    /// <param name="inputScale">The scaling <c>s</c> the state is divided by before denoising (1 for variance-exploding schedules).</param>
    /// <param name="cotangent">Maps the detached <c>D</c> to <c>v</c> (same shape as D).</param>
    public static Result Evaluate(IDiffusionPrior prior, Tensor x, double sigma, double inputScale, Func<Tensor, Tensor> cotangent)
    {
        ArgumentNullException.ThrowIfNull(prior);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(cotangent);
        using var enable = enable_grad();
        var input = x.detach().requires_grad_(true);
        var scaled = inputScale == 1.0 ? input : input / inputScale;
        var denoised = prior.Denoise(scaled, sigma);
        if (!denoised.requires_grad)
        {
            throw new InvalidOperationException(
                $"Prior '{prior.Name}' returned a denoised tensor without an autograd graph; solvers that guide through the prior need a differentiable denoiser.");
        }

        var detached = denoised.detach();
        var v = cotangent(detached);
        if (!v.shape.SequenceEqual(denoised.shape))
        {
            throw new InvalidOperationException(
                $"The cotangent has shape [{string.Join(", ", v.shape)}] but the denoised tensor has [{string.Join(", ", denoised.shape)}].");
        }

        var gradient = autograd.grad([denoised], [input], [v.detach().to(denoised.dtype)])[0].detach();
        return new Result(detached, gradient);
    }
}
