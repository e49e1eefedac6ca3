using InverseBench.Core.Abstractions;
using InverseBench.Core.Priors;
using InverseBench.Operators.Mri;
using InverseBench.Operators.Mri.Baselines;
using InverseBench.Operators.Mri.Data;
using InverseBench.Operators.Mri.Functional;
using InverseBench.Tests.Algorithms.Common;
using static TorchSharp.torch;

namespace InverseBench.Tests.Operators.Mri;

/// <summary>The MRI baselines (CS-MRI, CSGM-MRI, Score-MRI) on tiny synthetic problems, with closed forms where they exist.</summary>
[TestFixture]
public sealed class MriBaselineTests
{
    private static (MultiCoilMriOperator Op, Tensor Target, Tensor Observation) Problem(double acceleration)
    {
        var op = new MultiCoilMriOperator(new MultiCoilMriOptions
        {
            Height = 32, Width = 32, TotalLines = 32, Coils = 3, AccelerationRatio = acceleration,
            Pattern = acceleration == 1 ? MaskPattern.Equispaced : MaskPattern.Random,
        });
        using var data = new SyntheticBrainPhantomDataset(op, 1, 11);
        var target = data.GetTarget(0);
        return (op, target, op.Observe(target, new Generator(0)));
    }

    [Test]
    public void CsMriL1Wavelet_OnFullySampledData_IsTheWaveletShrinkageOfTheTarget()
    {
        using var scope = NewDisposeScope();
        var (op, target, y) = Problem(1);
        using var _ = op;
        // A is an isometry ⇒ step 1 and every FISTA iterate equals Wᴴ soft(W x, λ).
        var solver = MriBaselineRegistration.CreateCsMri(new CsMriOptions { Lambda = 0.05, Iterations = 5 });
        using var result = solver.Solve(y, op, null, SolverContext.FromSeed(0, numSamples: 2));
        result.Samples.shape.Should().Equal(2, 2, 32, 32);
        var image = MultiCoilMriOperator.ToComplex(target);
        var expected = MultiCoilMriOperator.ToChannels(Wavelet2D.Adjoint(Wavelet2D.SoftThreshold(Wavelet2D.Forward(image), 0.05)));
        (result.Samples[0..1].to_type(ScalarType.Float64) - expected).abs().max().item<double>().Should().BeLessThan(1e-5);
        (result.Samples[0] - result.Samples[1]).abs().max().item<float>().Should().Be(0);
    }

    [TestCase(CsMriMode.L1Wavelet)]
    [TestCase(CsMriMode.TV)]
    [TestCase(CsMriMode.Sense)]
    [Category("Integration")]
    public void CsMri_OnUndersampledData_FitsTheDataFarBetterThanZeroFilling(CsMriMode mode)
    {
        using var scope = NewDisposeScope();
        var (op, target, y) = Problem(4);
        using var _ = op;
        // PDHG's step τ = 1/λ_max(AᴴA + GᴴG) ≈ 1/9 makes TV converge more slowly than the gradient methods.
        var solver = MriBaselineRegistration.CreateCsMri(new CsMriOptions { Mode = mode, Lambda = 1e-4, Iterations = mode == CsMriMode.TV ? 300 : 60 });
        using var result = solver.Solve(y, op, null, SolverContext.FromSeed(0));
        double misfit = op.Loss(result.Samples, y).item<double>();
        double zeroFilled = op.Loss(MultiCoilMriOperator.ToChannels(op.EstimateMvue(y)).to_type(ScalarType.Float32), y).item<double>();
        misfit.Should().BeLessThan(0.05 * zeroFilled, $"{mode} must fit the sampled k-space");
        double error = (result.Samples - target).square().sum().item<float>() / target.square().sum().item<float>();
        error.Should().BeLessThan(0.5, $"{mode} must resemble the phantom");
    }

    [Test]
    public void CsMri_OnANonComplexOperator_IsRefusedNamingTheLayout()
    {
        using var scope = NewDisposeScope();
        using var op = new InverseBench.Operators.InverseScattering.InverseScatteringOperator(new() { Nx = 8, Ny = 8, Lx = 0.01, Ly = 0.01, Receivers = 4, Transmitters = 2, SvdCacheDirectory = null });
        var solver = MriBaselineRegistration.CreateCsMri(new CsMriOptions());
        var act = () => solver.Solve(zeros([1, 2, 4], dtype: ScalarType.ComplexFloat64), op, null, SolverContext.FromSeed(0));
        act.Should().Throw<ArgumentException>().WithMessage("*real/imaginary channels [B, 2, H, W]*[1, 8, 8]*");
    }

    [Test]
    [Category("Integration")]
    public void CsgmAndScoreMri_WithTheAnalyticPrior_AreReproducibleAndFinite()
    {
        using var scope = NewDisposeScope();
        var (op, target, y) = Problem(4);
        using var _ = op;
        var prior = GaussianFieldPrior.FitIsotropic(target);
        var solvers = new[]
        {
            MriBaselineRegistration.CreateCsgmMri(new CsgmMriOptions { NumSteps = 12, StartIteration = 5, SigmaBegin = 10, SigmaEnd = 0.05, StepLr = 1e-5 }),
            MriBaselineRegistration.CreateScoreMri(new ScoreMriOptions
            {
                Schedule = new() { NumSteps = 6, SigmaMax = 10, SigmaMin = 0.05, Schedule = InverseBench.Core.Diffusion.SigmaScheduleKind.Vp, Timestep = "vp", Scaling = InverseBench.Core.Diffusion.ScalingScheduleKind.Vp },
                DataConsistencyStep = 0.2,
            }),
        };
        foreach (var solver in solvers)
        {
            using var first = solver.Solve(y, op, prior, SolverContext.FromSeed(4, numSamples: 2));
            using var second = solver.Solve(y, op, prior, SolverContext.FromSeed(4, numSamples: 2));
            first.Samples.shape.Should().Equal(2, 2, 32, 32);
            first.Samples.isfinite().all().item<bool>().Should().BeTrue(solver.Name);
            (first.Samples - second.Samples).abs().max().item<float>().Should().Be(0, solver.Name);
            first.Counts.GradientCalls.Should().BeGreaterThan(0);
        }
    }

    [TestCase(CsMriMode.L1Wavelet)]
    [TestCase(CsMriMode.TV)]
    [TestCase(CsMriMode.Sense)]
    public void CsMri_ReportsItsStepsZeroBased_AsEverySolver(CsMriMode mode)
    {
        using var scope = NewDisposeScope();
        var (op, _, y) = Problem(4);
        using var __ = op;
        var progress = new RecordingProgress();
        var solver = MriBaselineRegistration.CreateCsMri(new CsMriOptions { Mode = mode, Iterations = 4 });
        using var result = solver.Solve(y, op, null, SolverContext.FromSeed(0, progress: progress));
        progress.Reports.Select(r => r.Step).Should().Equal(Enumerable.Range(0, 4));
        progress.Reports.Should().OnlyContain(r => r.TotalSteps == 4);
    }

    [Test]
    public void CsgmAndScoreMri_ReportTheirStepsZeroBased_AsEverySolver()
    {
        using var scope = NewDisposeScope();
        var (op, target, y) = Problem(4);
        using var _ = op;
        var prior = GaussianFieldPrior.FitIsotropic(target);
        var solvers = new ISolver[]
        {
            MriBaselineRegistration.CreateCsgmMri(new CsgmMriOptions { NumSteps = 4, StartIteration = 1, SigmaBegin = 10, SigmaEnd = 0.05, StepLr = 1e-5 }),
            MriBaselineRegistration.CreateScoreMri(new ScoreMriOptions
            {
                Schedule = new() { NumSteps = 3, SigmaMax = 10, SigmaMin = 0.05, Schedule = InverseBench.Core.Diffusion.SigmaScheduleKind.Vp, Timestep = "vp", Scaling = InverseBench.Core.Diffusion.ScalingScheduleKind.Vp },
            }),
        };
        foreach (var solver in solvers)
        {
            var progress = new RecordingProgress();
            using var result = solver.Solve(y, op, prior, SolverContext.FromSeed(0, progress: progress));
            progress.Reports.Should().NotBeEmpty(solver.Name);
            int total = progress.Reports[0].TotalSteps;
            progress.Reports.Select(r => r.Step).Should().Equal(Enumerable.Range(0, total), solver.Name);
        }
    }

    [Test]
    public void CsgmMriOptions_WithAStartBeyondTheLastLevel_AreRefused()
    {
        var act = () => MriBaselineRegistration.CreateCsgmMri(new CsgmMriOptions { NumSteps = 10, StartIteration = 9 });
        act.Should().Throw<ArgumentException>().WithMessage("*StartIteration must lie in [-1, 8]*");
    }

    [Test]
    public void CsgmMriOptions_GeometricSigmas_RunFromBeginToEnd()
    {
        var sigmas = new CsgmMriOptions { NumSteps = 3, SigmaBegin = 100, SigmaEnd = 1 }.Sigmas();
        sigmas[0].Should().BeApproximately(100, 1e-12);
        sigmas[1].Should().BeApproximately(10, 1e-12);
        sigmas[2].Should().BeApproximately(1, 1e-12);
    }
}
