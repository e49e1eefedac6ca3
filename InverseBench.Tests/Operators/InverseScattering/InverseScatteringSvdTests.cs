using InverseBench.Operators.InverseScattering;
using static TorchSharp.torch;
using Fixture = InverseBench.Tests.Operators.InverseScattering.InverseScatteringFixture;

namespace InverseBench.Tests.Operators.InverseScattering;

[TestFixture]
public sealed class InverseScatteringSvdTests
{
    private static InverseScatteringOptions SmallOptions() =>
        Fixture.Options(Fixture.Manifest.GetProperty("svd_small").GetProperty("constructor_kwargs"));

    [Test]
    public void Matrix_SingularValuesAndPseudoInverse_MatchTheTinyGridFixture()
    {
        var (rtol, _) = Fixture.RelativeTolerances();
        using var op = new InverseScatteringOperator(SmallOptions());
        using var scope = NewDisposeScope();
        var a = op.Matrix();
        Fixture.RelativeMaxError(a, Fixture.Load("svd_small_A.npy")).Should().BeLessThan(rtol);
        var s = Fixture.Load("svd_small_S.npy");
        op.SingularValues.shape.Should().Equal(s.shape);
        // Singular values from a different LAPACK path agree to ~ε·σ_max.
        ((op.SingularValues - s).abs().max().item<double>() / s.max().item<double>()).Should().BeLessThan(1e-12);
        Fixture.RelativeMaxError(op.Factors.PseudoInverseMatrix(), Fixture.Load("svd_small_A_inv.npy")).Should().BeLessThan(1e-7);
        var svdSmall = Fixture.Manifest.GetProperty("svd_small");
        op.ObservedMask.sum().item<float>().Should().Be((float)svdSmall.GetProperty("M_count(Sigma>1e-3)").GetDouble());
        op.ObservedMask.dtype.Should().Be(ScalarType.Float32);
    }

    [Test]
    public void ForwardAndPseudoInverse_MatchTheTinyGridFixture()
    {
        var (rtol, _) = Fixture.RelativeTolerances();
        using var op = new InverseScatteringOperator(SmallOptions());
        using var scope = NewDisposeScope();
        var x = Fixture.Load("svd_small_x.npy");
        var y = op.Forward(x);
        Fixture.RelativeMaxError(y, Fixture.Load("svd_small_out.npy")).Should().BeLessThan(rtol);
        var expected = Fixture.Load("svd_small_pseudo_inverse.npy");
        var pinv = op.PseudoInverse(y);
        pinv.shape.Should().Equal(1, 1, op.Geometry.Ny, op.Geometry.Nx);
        Fixture.RelativeMaxError(pinv.reshape(expected.shape), expected).Should().BeLessThan(1e-7);
        // A maps the unnormalised contrast to the interleaved (Re, Im) measurements.
        var stacked = matmul(op.Matrix(), op.Unnormalize(x.to_type(ScalarType.Float64)).reshape(-1));
        Fixture.RelativeMaxError(stacked, view_as_real(y).reshape(-1)).Should().BeLessThan(1e-12);
    }

    [Test]
    public void Vt_MatchesTheFixtureUpToSign_OnWellSeparatedSingularValues()
    {
        using var op = new InverseScatteringOperator(SmallOptions());
        using var scope = NewDisposeScope();
        var x = Fixture.Load("svd_small_x.npy");
        var expected = Fixture.Load("svd_small_Vt_x.npy")[0];
        var actual = op.Vt(x)[0];
        var s = op.SingularValues;
        double smax = s.max().item<double>();
        int compared = 0;
        for (long k = 0; k < s.shape[0]; k++)
        {
            double sk = s[k].item<double>();
            double gapBefore = k == 0 ? double.PositiveInfinity : s[k - 1].item<double>() - sk;
            double gapAfter = k == s.shape[0] - 1 ? sk : sk - s[k + 1].item<double>();
            // Only singular directions that are determined (up to sign): σ well above round-off and isolated.
            if (sk < 1e-8 * smax || Math.Min(gapBefore, gapAfter) < 1e-6 * smax) continue;
            Math.Abs(actual[k].item<double>()).Should().BeApproximately(Math.Abs(expected[k].item<double>()), 1e-7 * x.abs().sum().item<float>(), $"row {k}");
            compared++;
        }

        compared.Should().BeGreaterThan(10);
    }

    [Test]
    public void SvdPieces_AreMutuallyConsistent()
    {
        using var op = new InverseScatteringOperator(SmallOptions());
        using var scope = NewDisposeScope();
        var g = new Generator(1);
        var f = rand([2, 1, op.Geometry.Ny, op.Geometry.Nx], dtype: ScalarType.Float64, generator: g);
        // A f = U Σ Vᵀ f.
        var viaSvd = op.U(op.Vt(f) * op.SingularValues);
        Fixture.RelativeMaxError(viaSvd, op.ForwardPhysical(f)).Should().BeLessThan(1e-10);
        // Uᵀ y of A f = Σ Vᵀ f.
        Fixture.RelativeMaxError(op.Ut(op.ForwardPhysical(f)), op.Vt(f) * op.SingularValues).Should().BeLessThan(1e-10);
        // V Vᵀ is a projection; V returns float32 like the reference.
        var v = op.V(op.Vt(f));
        v.dtype.Should().Be(ScalarType.Float32);
        v.shape.Should().Equal(f.shape);
    }

    [Test]
    public void Compute_WritesTheCacheOnce_AndLoadsIdenticalFactors()
    {
        string dir = Path.Combine(Path.GetTempPath(), "ib-svd-" + Guid.NewGuid().ToString("N"));
        try
        {
            var options = SmallOptions();
            var reports = new List<InverseScatteringSvdProgress>();
            var progress = new SynchronousProgress(reports);
            using var first = InverseScatteringSvd.Compute(options, dir, progress);
            InverseScatteringSvd.IsCached(options.Geometry, dir).Should().BeTrue();
            reports.Select(r => r.Stage).Should().Contain(["matrix", "svd", "save", "done"]);
            reports.Clear();
            using var second = InverseScatteringSvd.Compute(options, dir, progress);
            reports.Select(r => r.Stage).Should().Contain("load").And.NotContain("svd");
            (first.U - second.U).abs().max().item<double>().Should().Be(0);
            (first.Vt - second.Vt).abs().max().item<double>().Should().Be(0);
            (first.SingularValues - second.SingularValues).abs().max().item<double>().Should().Be(0);

            // A different geometry gets its own folder; a truncated file is reported by name.
            options.Receivers += 1;
            InverseScatteringSvd.IsCached(options.Geometry, dir).Should().BeFalse();
            options.Receivers -= 1;
            string vt = Path.Combine(InverseScatteringSvd.CacheFolder(options.Geometry, dir), "Vt.npy");
            using (var stream = new FileStream(vt, FileMode.Open)) stream.SetLength(stream.Length - 8);
            var corrupt = () => InverseScatteringSvd.Compute(options, dir);
            corrupt.Should().Throw<InvalidDataException>().WithMessage("*Vt.npy*truncated*");
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    [Explicit("Full 128×128 grid with 60 receivers (2 400 × 16 384 SVD): minutes on two cores.")]
    public void Compute_FullGridSixtyReceivers_ReportsTimeAndIsConsistent()
    {
        var options = new InverseScatteringOptions { Receivers = 60, SvdCacheDirectory = null };
        var watch = System.Diagnostics.Stopwatch.StartNew();
        using var factors = InverseScatteringSvd.Compute(options, null);
        TestContext.Progress.WriteLine($"SVD 2400×16384 in {watch.Elapsed.TotalSeconds:F1} s; σ_max {factors.SingularValues.max().item<double>():E3}");
        using var op = new InverseScatteringOperator(options, svd: factors.To(CPU));
        using var scope = NewDisposeScope();
        var f = rand([1, 1, 128, 128], dtype: ScalarType.Float64, generator: new Generator(1));
        Fixture.RelativeMaxError(op.U(op.Vt(f) * op.SingularValues), op.ForwardPhysical(f)).Should().BeLessThan(1e-9);
    }

    private sealed class SynchronousProgress(List<InverseScatteringSvdProgress> sink) : IProgress<InverseScatteringSvdProgress>
    {
        public void Report(InverseScatteringSvdProgress value) => sink.Add(value);
    }
}
