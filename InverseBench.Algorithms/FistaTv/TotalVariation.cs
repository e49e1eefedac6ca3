using static TorchSharp.torch;

namespace InverseBench.Algorithms.FistaTv;

/// <summary>
/// Isotropic total variation of images <c>[B, C, H, W]</c> and its constrained proximal map by the fast gradient projection
/// (FGP) dual iterations of Beck &amp; Teboulle (2009, "Fast gradient-based algorithms for constrained total variation image
/// denoising and deblurring problems"), which extend Chambolle's projection algorithm with FISTA momentum.
/// </summary>
public static class TotalVariation
{
    /// <summary>Isotropic TV per image, <c>Σ_ij sqrt((x_{i+1,j} − x_ij)² + (x_{i,j+1} − x_ij)²)</c> (zero differences past the edge), <c>[B]</c>.</summary>
    public static Tensor Value(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        using var scope = NewDisposeScope();
        var (p, q) = Gradient(x);
        return scope.MoveToOuter((p.square() + q.square()).sqrt().flatten(1).sum(1));
    }

    /// <summary>
    /// <c>argmin_{x ∈ [lower, upper]} ½‖x − b‖² + weight·TV(x)</c> by <paramref name="iterations"/> FGP dual iterations
    /// (no box when <paramref name="lower"/>/<paramref name="upper"/> are null).
    /// </summary>
    public static Tensor Prox(Tensor b, double weight, int iterations, double? lower = null, double? upper = null)
    {
        ArgumentNullException.ThrowIfNull(b);
        ArgumentOutOfRangeException.ThrowIfNegative(weight);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        Tensor Project(Tensor v) => lower is null && upper is null ? v : v.clamp(lower ?? double.NegativeInfinity, upper ?? double.PositiveInfinity);
        if (weight == 0) return Project(b).clone();

        // Beck–Teboulle's problem is min ‖x − b‖² + 2λ·TV(x), i.e. ours with λ = weight.
        double lambda = weight;
        var p = zeros_like(b);
        var q = zeros_like(b);
        var r = zeros_like(b);
        var s = zeros_like(b);
        double t = 1;
        for (int k = 0; k < iterations; k++)
        {
            using var scope = NewDisposeScope();
            var x = Project(b - lambda * Divergence(r, s));
            var (gp, gq) = Gradient(x);
            // (r, s) + 1/(8λ)·Lᵀ(x), with Lᵀ = −∇ (forward differences).
            var np = r - gp / (8 * lambda);
            var nq = s - gq / (8 * lambda);
            var norm = (np.square() + nq.square()).sqrt().clamp_min(1.0);
            np = np / norm;
            nq = nq / norm;
            double tNext = (1 + Math.Sqrt(1 + 4 * t * t)) / 2;
            var nr = np + (t - 1) / tNext * (np - p);
            var ns = nq + (t - 1) / tNext * (nq - q);
            t = tNext;
            p.Dispose();
            q.Dispose();
            r.Dispose();
            s.Dispose();
            p = scope.MoveToOuter(np);
            q = scope.MoveToOuter(nq);
            r = scope.MoveToOuter(nr);
            s = scope.MoveToOuter(ns);
        }

        using var final = NewDisposeScope();
        var result = Project(b - lambda * Divergence(p, q));
        p.Dispose();
        q.Dispose();
        r.Dispose();
        s.Dispose();
        return final.MoveToOuter(result);
    }

    /// <summary>Forward differences along H and W with zero past the last row/column: <c>(x_{i+1,j} − x_ij, x_{i,j+1} − x_ij)</c>.</summary>
    internal static (Tensor Rows, Tensor Cols) Gradient(Tensor x)
    {
        long h = x.shape[^2], w = x.shape[^1];
        var dr = nn.functional.pad(x.narrow(-2, 1, h - 1) - x.narrow(-2, 0, h - 1), [0, 0, 0, 1]);
        var dc = nn.functional.pad(x.narrow(-1, 1, w - 1) - x.narrow(-1, 0, w - 1), [0, 1, 0, 0]);
        return (dr, dc);
    }

    /// <summary>
    /// Beck–Teboulle's <c>L(p, q) = −div</c> adjoint pair: <c>L(p, q)_ij = p_ij + q_ij − p_{i−1,j} − q_{i,j−1}</c>, with
    /// <c>p</c>'s last row and <c>q</c>'s last column treated as zero, so that <c>⟨L(p, q), x⟩ = ⟨(p, q), −∇x⟩</c>.
    /// </summary>
    internal static Tensor Divergence(Tensor p, Tensor q)
    {
        long h = p.shape[^2], w = p.shape[^1];
        var pm = p.narrow(-2, 0, h - 1);
        var qm = q.narrow(-1, 0, w - 1);
        var pPad = nn.functional.pad(pm, [0, 0, 0, 1]);   // p with last row 0
        var qPad = nn.functional.pad(qm, [0, 1, 0, 0]);   // q with last column 0
        var pShift = nn.functional.pad(pm, [0, 0, 1, 0]); // p_{i−1,j}, 0 at i = 0
        var qShift = nn.functional.pad(qm, [1, 0, 0, 0]); // q_{i,j−1}, 0 at j = 0
        return pPad + qPad - pShift - qShift;
    }
}
