using static TorchSharp.torch;

namespace InverseBench.Operators.BlackHole.Functional;

/// <summary>
/// The reference's <c>BlackHoleImaging.aligned_images</c>: tries <c>steps × steps</c> translations
/// <c>(tx, ty) ∈ linspace(−0.5, 0.5, steps)²</c> (meshgrid 'ij', s = i·steps + j) of the prediction with
/// <c>affine_grid</c> + bilinear <c>grid_sample</c> (zeros padding, align_corners=True) on images clipped to [0, 1], and keeps
/// per item the shift with the largest PSNR (piq, data range 1) against the target.
/// </summary>
public static class ImageAlignment
{
    /// <summary>Aligns <paramref name="prediction"/> <c>[N, C, H, W]</c> to <paramref name="target"/> (same shape) → float32 <c>[N, C, H, W]</c>.</summary>
    public static Tensor Align(Tensor target, Tensor prediction, double searchMin = -0.5, double searchMax = 0.5, int steps = 30)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(prediction);
        if (prediction.dim() != 4 || !target.shape.SequenceEqual(prediction.shape))
            throw new ArgumentException($"target [{string.Join(", ", target.shape)}] and prediction [{string.Join(", ", prediction.shape)}] must both be [N, C, H, W].", nameof(prediction));
        using var scope = NewDisposeScope();
        var values = linspace(searchMin, searchMax, steps, ScalarType.Float32);
        var grids = meshgrid([values, values], indexing: "ij");
        var tx = grids[0].flatten();
        var ty = grids[1].flatten();
        var one = ones_like(tx);
        var zero = zeros_like(tx);
        var theta = stack([stack([one, zero, tx], -1), stack([zero, one, ty], -1)], 1);
        long s = tx.shape[0];
        long c = prediction.shape[1], h = prediction.shape[2], w = prediction.shape[3];
        var grid = nn.functional.affine_grid(theta, [s, c, h, w], align_corners: true);
        var outputs = new List<Tensor>();
        for (long n = 0; n < prediction.shape[0]; n++)
        {
            using var itemScope = NewDisposeScope();
            var pred = prediction[n].unsqueeze(0).to_type(ScalarType.Float32).cpu().clamp(0, 1).expand(s, c, h, w);
            var reference = target[n].unsqueeze(0).to_type(ScalarType.Float32).cpu().clamp(0, 1).expand(s, c, h, w);
            var shifted = nn.functional.grid_sample(pred, grid, GridSampleMode.Bilinear, GridSamplePaddingMode.Zeros, align_corners: true).clamp(0, 1);
            var psnr = InverseBench.Evaluation.Metrics.Psnr(reference, shifted, 1.0);
            long best = psnr.argmax().item<long>();
            outputs.Add(itemScope.MoveToOuter(shifted[best].unsqueeze(0)));
        }

        return scope.MoveToOuter(cat(outputs, 0).to(prediction.device));
    }
}
