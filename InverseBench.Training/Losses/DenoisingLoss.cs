using InverseBench.Core.Diffusion.Preconditioning;
using InverseBench.Core.Tensors;
using static TorchSharp.torch;

namespace InverseBench.Training.Losses;

/// <summary>
/// A denoising score-matching loss of the reference (<c>training/loss.py</c>): draws a noise level σ per sample, adds
/// <c>n ~ N(0, σ²)</c> to the clean batch <c>y</c>, denoises with the preconditioned network and weights the squared error
/// by <c>λ(σ)</c>. <see cref="PerElement"/> returns <c>λ(σ)·(D(y+n; σ) − y)²</c> of shape <c>[B, C, H, W]</c>, as the
/// reference's loss objects do; <c>train.py</c> then takes the mean over all elements (<see cref="Mean"/>).
/// </summary>
/// <remarks>Random draws, in the reference's order: first σ (shape <c>[B, 1, 1, 1]</c>), then the noise (shape of <c>y</c>),
/// both from the generator passed in.</remarks>
public abstract class DenoisingLoss
{
    /// <summary>The reference class name (<c>EDMLoss</c>, <c>VPLoss</c>, <c>VELoss</c>).</summary>
    public abstract string Name { get; }

    /// <summary>Draws the per-sample noise levels σ, shape <c>[batch, 1, 1, 1]</c> (float32 on <paramref name="device"/>).</summary>
    public abstract Tensor SampleSigma(long batch, Generator generator, Device device);

    /// <summary>The loss weight λ(σ) (same shape as <paramref name="sigma"/>).</summary>
    public abstract Tensor Weight(Tensor sigma);

    /// <summary>
    /// The per-element loss <c>λ(σ)·(D(y+n; σ) − y)²</c>, shape <c>[B, C, H, W]</c> (float32), differentiable with respect to
    /// the network's parameters.
    /// </summary>
    /// <param name="network">The preconditioned network (in training mode).</param>
    /// <param name="images">The clean batch <c>y</c>, <c>[B, C, H, W]</c> real, finite, in the network's channel count and resolution.</param>
    /// <param name="generator">The step's generator (σ and noise are drawn from it).</param>
    public Tensor PerElement(Preconditioner network, Tensor images, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(generator);
        TensorGuard.FloatingPoint(images, nameof(images));
        if (images.is_complex()) throw new ArgumentException($"images must be real; got {images.dtype}.", nameof(images));
        long batch = TensorGuard.Batched(images, nameof(images), [network.ImgChannels, network.ImgResolution, network.ImgResolution]);
        TensorGuard.Finite(images, nameof(images));
        using var scope = NewDisposeScope();
        var y = images.to(ScalarType.Float32);
        var sigma = SampleSigma(batch, generator, y.device);
        var weight = Weight(sigma);
        var noise = randn(y.shape, ScalarType.Float32, y.device, generator: generator).mul(sigma);
        var denoised = network.call(y.add(noise), sigma);
        var loss = weight.mul(denoised.sub(y).square());
        return scope.MoveToOuter(loss);
    }

    /// <summary>The scalar training loss of <c>train.py</c>: <c>torch.mean</c> of <see cref="PerElement"/> over all B·C·H·W elements.</summary>
    public Tensor Mean(Preconditioner network, Tensor images, Generator generator)
    {
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(PerElement(network, images, generator).mean());
    }

    /// <summary>Builds a loss from its reference name (<c>EDMLoss</c>, <c>VPLoss</c>, <c>VELoss</c>, with or without the
    /// <c>training.loss.</c> prefix) with the reference's default constants.</summary>
    /// <exception cref="ArgumentException">Unknown name; the message lists the valid ones.</exception>
    public static DenoisingLoss FromName(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        string cls = name[(name.LastIndexOf('.') + 1)..];
        return cls switch
        {
            "EDMLoss" => new EdmLoss(),
            "VPLoss" => new VpLoss(),
            "VELoss" => new VeLoss(),
            _ => throw new ArgumentException($"Unknown loss '{name}'. Valid losses: training.loss.EDMLoss, training.loss.VPLoss, training.loss.VELoss " +
                                             "(training.loss.MRILoss trains the supervised MRI baselines, which are not part of this package).", nameof(name)),
        };
    }
}
