using System.Diagnostics;
using InverseBench.Core.Runtime;
using InverseBench.Operators.InverseScattering.Functional;
using InverseBench.Operators.InverseScattering.Internal;
using static TorchSharp.torch;

namespace InverseBench.Operators.InverseScattering;

/// <summary>A progress report of <see cref="InverseScatteringSvd.Compute"/>.</summary>
/// <param name="Stage">The stage: <c>matrix</c>, <c>svd</c>, <c>save</c>, <c>load</c> or <c>done</c>.</param>
/// <param name="Fraction">Fraction of the whole computation done, in [0, 1] (stage boundaries only: the SVD itself is one native call).</param>
/// <param name="Message">A human-readable description.</param>
/// <param name="Elapsed">Time since the computation started.</param>
public readonly record struct InverseScatteringSvdProgress(string Stage, double Fraction, string Message, TimeSpan Elapsed);

/// <summary>
/// The reduced SVD <c>A = U·diag(σ)·Vᵀ</c> of the real-stacked Born matrix (see <see cref="BornModel.RealMatrix"/>), as the
/// reference's <c>compute_svd</c>. The owner disposes it.
/// </summary>
public sealed class InverseScatteringSvdFactors : IDisposable
{
    private readonly Tensor _u;
    private readonly Tensor _s;
    private readonly Tensor _vt;
    private bool _disposed;

    internal InverseScatteringSvdFactors(Tensor u, Tensor s, Tensor vt)
    {
        // The factors live as long as this object, not as long as any dispose scope around their creation.
        _u = u.DetachFromDisposeScope();
        _s = s.DetachFromDisposeScope();
        _vt = vt.DetachFromDisposeScope();
    }

    /// <summary>Left singular vectors, <c>[2·T·R, k]</c> float64 (k = min(2·T·R, Ny·Nx)).</summary>
    public Tensor U => Alive(_u);

    /// <summary>Singular values, descending, <c>[k]</c> float64 (reference <c>Sigma</c>).</summary>
    public Tensor SingularValues => Alive(_s);

    /// <summary>Right singular vectors transposed, <c>[k, Ny·Nx]</c> float64 (reference <c>V_t</c>).</summary>
    public Tensor Vt => Alive(_vt);

    /// <summary>
    /// The cut-off below which singular values are treated as zero by the pseudo-inverse, as <c>torch.linalg.pinv</c>'s
    /// default: <c>σ_max·max(m, n)·ε(float64)</c>.
    /// </summary>
    public double PseudoInverseCutoff
    {
        get
        {
            long m = _u.shape[0], n = _vt.shape[1];
            return _s.numel() == 0 ? 0 : _s.max().item<double>() * Math.Max(m, n) * Math.Pow(2, -52);
        }
    }

    /// <summary>
    /// Applies the pseudo-inverse <c>A⁺ = V·diag(σ⁺)·Uᵀ</c> to real-stacked measurements <c>[B, 2·T·R]</c> → <c>[B, Ny·Nx]</c>
    /// float64, without forming <c>A⁺</c> (same cut-off as <c>torch.linalg.pinv</c>).
    /// </summary>
    public Tensor ApplyPseudoInverse(Tensor stacked)
    {
        using var scope = NewDisposeScope();
        var coefficients = matmul(stacked.to_type(ScalarType.Float64), U);
        var inverse = where(SingularValues > PseudoInverseCutoff, SingularValues.reciprocal(), zeros_like(SingularValues));
        return scope.MoveToOuter(matmul(coefficients * inverse, Vt));
    }

    /// <summary>The dense pseudo-inverse <c>A⁺</c>, <c>[Ny·Nx, 2·T·R]</c> float64 (reference <c>A_inv</c>; large: prefer <see cref="ApplyPseudoInverse"/>).</summary>
    public Tensor PseudoInverseMatrix()
    {
        using var scope = NewDisposeScope();
        var inverse = where(SingularValues > PseudoInverseCutoff, SingularValues.reciprocal(), zeros_like(SingularValues));
        return scope.MoveToOuter(matmul(Vt.t() * inverse, U.t()));
    }

    /// <summary>Moves the factors to <paramref name="device"/> (a new object; this one stays valid).</summary>
    public InverseScatteringSvdFactors To(Device device) => new(_u.to(device), _s.to(device), _vt.to(device));

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _u.Dispose();
        _s.Dispose();
        _vt.Dispose();
    }

    private Tensor Alive(Tensor t)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return t;
    }
}

/// <summary>
/// Computes, caches and loads the SVD of the inverse-scattering operator — the explicit, resumable step behind
/// <see cref="InverseScatteringOperator"/>'s <see cref="Core.Abstractions.ISvdOperator"/> members.
/// </summary>
/// <remarks>
/// <para>Cost. The matrix is <c>2·T·R × Ny·Nx</c> float64. At the paper's configuration (T = 20, R = 360, 128×128) that is
/// 14 400 × 16 384 (1.9 GB); <c>U</c> is 14 400² (1.66 GB) and <c>Vᵀ</c> 14 400 × 16 384 (1.9 GB). A LAPACK <c>gesdd</c> of
/// that size needs about 8–10 GB of memory at its peak and on the order of 10–30 minutes on a many-core CPU (the
/// reference's own message says "10-20 minutes"), much longer on two cores, and about a minute on a data-centre GPU
/// (pass <c>device: cuda</c>). 180 receivers: 7 200 × 16 384; 60 receivers: 2 400 × 16 384 (seconds to minutes).</para>
/// <para>Cache. Files <c>U.npy</c>, <c>S.npy</c>, <c>Vt.npy</c> (float64 NPY, readable with numpy) go to
/// <c>&lt;cacheDirectory&gt;/&lt;geometry key&gt;/</c>, where the key names every geometry parameter
/// (<see cref="InverseScatteringGeometry.CacheKey"/>), so different geometries never collide (the reference keys on
/// T and R only). Files are written under temporary names and renamed, and the SVD stage is skipped when all three exist,
/// so an interrupted computation is resumed by calling <see cref="Compute"/> again. The pseudo-inverse is applied
/// through the factors rather than stored (<see cref="InverseScatteringSvdFactors.ApplyPseudoInverse"/>).</para>
/// <para>Signs. Singular vectors are determined up to sign (and up to rotation inside clusters of equal singular
/// values); U and Vᵀ always come from the same decomposition, so every product is consistent.</para>
/// </remarks>
public static class InverseScatteringSvd
{
    private static readonly string[] FileNames = ["U.npy", "S.npy", "Vt.npy"];

    /// <summary>The cache folder of a geometry under <paramref name="cacheDirectory"/>.</summary>
    public static string CacheFolder(InverseScatteringGeometry geometry, string cacheDirectory)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        ArgumentException.ThrowIfNullOrEmpty(cacheDirectory);
        return Path.Combine(cacheDirectory, geometry.CacheKey);
    }

    /// <summary>Whether a complete SVD of <paramref name="geometry"/> is cached under <paramref name="cacheDirectory"/>.</summary>
    public static bool IsCached(InverseScatteringGeometry geometry, string cacheDirectory)
    {
        string folder = CacheFolder(geometry, cacheDirectory);
        return FileNames.All(f => File.Exists(Path.Combine(folder, f)));
    }

    /// <summary>
    /// Loads the SVD of the geometry in <paramref name="options"/> from <paramref name="cacheDirectory"/>, or computes it
    /// (on <paramref name="device"/>) and writes it there. Returns factors on <paramref name="device"/>.
    /// </summary>
    /// <param name="options">The problem options (only the geometry matters).</param>
    /// <param name="cacheDirectory">Cache root; null computes in memory without writing anything.</param>
    /// <param name="progress">Receives stage reports.</param>
    /// <param name="device">Where to compute and keep the factors (CPU when null).</param>
    /// <param name="cancellationToken">Checked between stages (the native SVD call itself cannot be interrupted).</param>
    public static InverseScatteringSvdFactors Compute(InverseScatteringOptions options, string? cacheDirectory,
        IProgress<InverseScatteringSvdProgress>? progress = null, Device? device = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        TorchRuntime.EnsureInitialized();
        var geometry = options.Geometry;
        var dev = device ?? CPU;
        var watch = Stopwatch.StartNew();
        void Report(string stage, double fraction, string message) =>
            progress?.Report(new InverseScatteringSvdProgress(stage, fraction, message, watch.Elapsed));

        string? folder = cacheDirectory is null ? null : CacheFolder(geometry, cacheDirectory);
        if (folder is not null && IsCached(geometry, cacheDirectory!))
        {
            Report("load", 0.0, $"Loading the SVD of {geometry.CacheKey} from {folder}.");
            var loaded = Load(folder, geometry, dev);
            Report("done", 1.0, "Loaded.");
            return loaded;
        }

        cancellationToken.ThrowIfCancellationRequested();
        long rows = 2L * geometry.Transmitters * geometry.Receivers, cols = geometry.Pixels;
        Report("matrix", 0.0, $"Building the {rows}×{cols} float64 Born matrix ({rows * cols * 8 / 1e9:F2} GB).");
        Tensor u, s, vt;
        using (var scope = NewDisposeScope())
        {
            var incident = GreensFunctions.IncidentField(geometry, dev).reshape(geometry.Pixels, geometry.Transmitters);
            var sensor = GreensFunctions.SensorGreens(geometry, dev).reshape(geometry.Pixels, geometry.Receivers);
            var matrix = BornModel.RealMatrix(incident, sensor, geometry.Dx * geometry.Dy);
            incident.Dispose();
            sensor.Dispose();
            cancellationToken.ThrowIfCancellationRequested();
            Report("svd", 0.05, $"Computing the reduced SVD of the {rows}×{cols} matrix on {dev} (one native call; see the remarks of InverseScatteringSvd for time and memory).");
            var (uu, ss, vh) = linalg.svd(matrix, fullMatrices: false);
            matrix.Dispose();
            u = scope.MoveToOuter(uu);
            s = scope.MoveToOuter(ss);
            vt = scope.MoveToOuter(vh);
        }

        var factors = new InverseScatteringSvdFactors(u, s, vt);
        if (folder is not null)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Report("save", 0.9, $"Writing U, S, Vt to {folder}.");
            Directory.CreateDirectory(folder);
            MatrixFile.Write(Path.Combine(folder, "S.npy"), s);
            MatrixFile.Write(Path.Combine(folder, "U.npy"), u);
            MatrixFile.Write(Path.Combine(folder, "Vt.npy"), vt);
        }

        Report("done", 1.0, $"SVD done in {watch.Elapsed.TotalSeconds:F1} s.");
        return factors;
    }

    private static InverseScatteringSvdFactors Load(string folder, InverseScatteringGeometry geometry, Device device)
    {
        long rows = 2L * geometry.Transmitters * geometry.Receivers, cols = geometry.Pixels, k = Math.Min(rows, cols);
        var u = MatrixFile.Read(Path.Combine(folder, "U.npy"));
        var s = MatrixFile.Read(Path.Combine(folder, "S.npy"));
        var vt = MatrixFile.Read(Path.Combine(folder, "Vt.npy"));
        void Expect(Tensor t, string name, params long[] shape)
        {
            if (!t.shape.SequenceEqual(shape))
            {
                u.Dispose();
                s.Dispose();
                vt.Dispose();
                throw new InvalidDataException(
                    $"SVD cache file '{Path.Combine(folder, name)}' has shape ({string.Join(", ", t.shape)}); expected ({string.Join(", ", shape)}) for {geometry.CacheKey}. Delete the folder to recompute.");
            }
        }

        Expect(u, "U.npy", rows, k);
        Expect(s, "S.npy", k);
        Expect(vt, "Vt.npy", k, cols);
        if (device.type == TorchSharp.DeviceType.CPU) return new InverseScatteringSvdFactors(u, s, vt);
        var moved = new InverseScatteringSvdFactors(u, s, vt);
        var result = moved.To(device);
        moved.Dispose();
        return result;
    }
}
