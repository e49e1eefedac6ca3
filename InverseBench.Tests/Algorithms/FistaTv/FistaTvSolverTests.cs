using InverseBench.Algorithms;
using InverseBench.Algorithms.FistaTv;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Configuration;
using InverseBench.Core.Fluent;
using InverseBench.Evaluation.InverseScattering;
using InverseBench.Operators.InverseScattering;
using InverseBench.Operators.InverseScattering.Data;
using static TorchSharp.torch;

namespace InverseBench.Tests.Algorithms.FistaTv;

[TestFixture]
public sealed class FistaTvSolverTests
{
    /// <summary>The reference geometry cropped to an n×n grid (same pixel size and wavelength, 20 transmitters, 360 receivers).</summary>
    internal static InverseScatteringOptions Cropped(int n) => new()
    {
        Nx = n, Ny = n, Lx = 0.18 * n / 128, Ly = 0.18 * n / 128, SigmaNoise = 0, SvdCacheDirectory = null,
    };

    /// <summary>Runs FISTA-TV on phantom <paramref name="index"/> without noise; returns (PSNR, SSIM).</summary>
    internal static (double Psnr, double Ssim) Reconstruct(int n, int index, FistaTvOptions options)
    {
        using var op = new InverseScatteringOperator(Cropped(n));
        using var scope = NewDisposeScope();
        var dataset = new SyntheticCellPhantomDataset(count: index + 1, seed: 0, resolution: n);
        var target = dataset.GetTarget(index);
        var observation = op.Forward(target);
        var solver = new InverseBenchContext(seed: 0).Solvers.FistaTv(options);
        using var result = solver.Solve(observation, op, null, SolverContext.FromSeed(0));
        var metrics = new InverseScatteringEvaluator().Evaluate(op.Unnormalize(result.Samples), op.Unnormalize(target));
        return (metrics["psnr"], metrics["ssim"]);
    }

    [Test]
    public void Reconstructs_ANoiselessPhantom_OnAReducedGrid_WithHighPsnr()
    {
        var (psnr, ssim) = Reconstruct(32, 0, new FistaTvOptions());
        TestContext.Progress.WriteLine($"FISTA-TV 32×32, 360 receivers, no noise: PSNR {psnr:F2} dB, SSIM {ssim:F4}");
        psnr.Should().BeGreaterThan(30);
        ssim.Should().BeGreaterThan(0.9);
    }

    [Test]
    [Explicit("Full 128×128 grid, 360 receivers: about a minute or more on two cores.")]
    public void Reconstructs_ANoiselessPhantom_OnTheFullGrid()
    {
        var (psnr, ssim) = Reconstruct(128, 0, new FistaTvOptions());
        TestContext.Progress.WriteLine($"FISTA-TV 128×128, 360 receivers, no noise: PSNR {psnr:F2} dB, SSIM {ssim:F4}");
        psnr.Should().BeGreaterThan(28);
    }

    [Test]
    [Explicit("Tuning sweep of λ (prints PSNR).")]
    public void Sweep([Values(32, 64)] int n, [Values(1e-4, 3e-4, 1e-3, 3e-3, 1e-2)] double lambda)
    {
        var (psnr, ssim) = Reconstruct(n, 0, new FistaTvOptions { Lambda = lambda });
        TestContext.Progress.WriteLine($"n={n} λ={lambda}: PSNR {psnr:F2} dB, SSIM {ssim:F4}");
    }

    [Test]
    public void LipschitzEstimate_MatchesTheLargestSquaredSingularValue()
    {
        using var op = new InverseScatteringOperator(new InverseScatteringOptions
        {
            Nx = 12, Ny = 12, Lx = 0.016875, Ly = 0.016875, Transmitters = 3, Receivers = 8, SensorRadius = 0.05, SvdCacheDirectory = null,
        });
        using var scope = NewDisposeScope();
        double sigmaMax = op.SingularValues.max().item<double>();
        double estimate = FistaTvSolver.EstimateLipschitz(op, [1, 1, 12, 12], 200, SolverContext.FromSeed(4));
        estimate.Should().BeApproximately(sigmaMax * sigmaMax, 1e-6 * sigmaMax * sigmaMax);
    }

    [Test]
    public void SamplesAreIdenticalCopies_InNormalisedSpace_AndDeterministic()
    {
        using var op = new InverseScatteringOperator(Cropped(16));
        using var scope = NewDisposeScope();
        var target = new SyntheticCellPhantomDataset(1, 3, 16).GetTarget(0);
        var y = op.Forward(target);
        var solver = new FistaTvSolverDefinition().Factory.Create(new ConfigSection(new Dictionary<string, object?> { ["num_steps"] = 20, ["tv_steps"] = 5 }));
        using var a = solver.Solve(y, op, null, SolverContext.FromSeed(1, numSamples: 2));
        using var b = solver.Solve(y, op, null, SolverContext.FromSeed(1, numSamples: 2));
        a.Samples.shape.Should().Equal(2, 1, 16, 16);
        a.Samples.dtype.Should().Be(ScalarType.Float32);
        (a.Samples[0] - a.Samples[1]).abs().max().item<float>().Should().Be(0);
        (a.Samples - b.Samples).abs().max().item<float>().Should().Be(0);
        // Box [0, 1] in physical units = [−1, 1] normalised.
        a.Samples.min().item<float>().Should().BeGreaterThanOrEqualTo(-1f);
        a.Samples.max().item<float>().Should().BeLessThanOrEqualTo(1f);
        a.ForwardEvaluations.Should().BeGreaterThan(0);
    }

    [Test]
    public void TheBoxIsOnByDefaultForInverseScatteringOnly()
    {
        // y = A x with A = I and a constant signal 3 (TV 0): without the box the solution is ≈3; with it, at most 1.
        var o = new FistaTvOptions();
        o.BoxConstraint.Should().BeNull();
        (o.BoxConstraintFor("inv-scatter"), o.BoxConstraintFor("blackhole"), o.BoxConstraintFor("dense-matrix")).Should().Be((true, false, false));
        using var op = new InverseBench.Tests.TestUtilities.Operators.DenseMatrixOperator(eye(16, dtype: ScalarType.Float32), [1, 4, 4]);
        using var scope = NewDisposeScope();
        var y = full([1, 1, 1, 16], 3f);
        var definition = new FistaTvSolverDefinition().Factory;
        using var free = definition.Create(new ConfigSection(new Dictionary<string, object?> { ["num_steps"] = 50 })).Solve(y, op, null, SolverContext.FromSeed(1));
        using var boxed = definition.Create(new ConfigSection(new Dictionary<string, object?> { ["num_steps"] = 50, ["box_constraint"] = true })).Solve(y, op, null, SolverContext.FromSeed(1));
        free.Samples.max().item<float>().Should().BeGreaterThan(2.5f, "no box on a problem other than inverse scattering");
        boxed.Samples.max().item<float>().Should().BeLessThanOrEqualTo(1f, "box_constraint: true applies it anywhere");
    }

    [Test]
    public void ReportsItsStepsZeroBased_AsEverySolver()
    {
        using var op = new InverseBench.Tests.TestUtilities.Operators.DenseMatrixOperator(eye(16, dtype: ScalarType.Float32), [1, 4, 4]);
        using var scope = NewDisposeScope();
        var progress = new InverseBench.Tests.Algorithms.Common.RecordingProgress();
        var solver = new FistaTvSolverDefinition().Factory.Create(new ConfigSection(new Dictionary<string, object?> { ["num_steps"] = 5 }));
        using var result = solver.Solve(full([1, 1, 1, 16], 0.5f), op, null, SolverContext.FromSeed(1, progress: progress));
        progress.Reports.Select(r => r.Step).Should().Equal(Enumerable.Range(0, 5));
        progress.Reports.Should().OnlyContain(r => r.TotalSteps == 5);
    }

    [Test]
    public void Registration_DefinitionCatalogAndOptions()
    {
        AlgorithmsServiceCollectionExtensions.SolverNames.Should().Contain("fista-tv");
        var definition = new FistaTvSolverDefinition().Factory;
        definition.Requirements.Capabilities.Should().Be(SolverCapability.Linear);
        var section = new ConfigSection(new Dictionary<string, object?> { ["lambda"] = "0.01", ["num_steps"] = 5, ["tv_steps"] = 3 });
        var solver = definition.Create(section);
        solver.Name.Should().Be("fista-tv");
        section.ThrowIfUnknownKeys();
        var bad = () => new InverseBenchContext().Solvers.FistaTv(o => { o.Iterations = 0; o.Lambda = -1; });
        bad.Should().Throw<ArgumentException>().WithMessage("*Lambda*Iterations*");
    }
}
