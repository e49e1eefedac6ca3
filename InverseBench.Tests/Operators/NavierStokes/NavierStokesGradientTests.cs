using System.Diagnostics;
using InverseBench.Operators.NavierStokes;
using InverseBench.Operators.NavierStokes.Functional;
using static TorchSharp.torch;

namespace InverseBench.Tests.Operators.NavierStokes;

[TestFixture]
public sealed class NavierStokesGradientTests
{
    private static NavierStokesOperator SmallOperator(bool adaptive = false) => new(new NavierStokesOptions
    {
        Resolution = 16,
        ForwardTime = 0.05,
        Adaptive = adaptive,
        DeltaT = 0.01,
        DType = ScalarType.Float64,
        EnableGradient = true,
    });

    [Test]
    public void OptInGradientMatchesCentralFiniteDifferences()
    {
        using var scope = NewDisposeScope();
        using var op = SmallOperator();
        op.SupportsGradient.Should().BeTrue();
        var g = new TorchSharp.torch.Generator(5);
        var x = GaussianRandomField.Sample(2, 16, g).to(ScalarType.Float64).unsqueeze(1) / 10;
        var truth = GaussianRandomField.Sample(2, 16, g).to(ScalarType.Float64).unsqueeze(1) / 10;
        var observation = op.Forward(truth);
        var (gradient, loss) = op.GradientAndLoss(x, observation);
        gradient.shape.Should().Equal(x.shape);
        gradient.requires_grad.Should().BeFalse();
        loss.shape.Should().Equal(2);

        for (int trial = 0; trial < 3; trial++)
        {
            var v = randn(x.shape, dtype: ScalarType.Float64, generator: g);
            const double eps = 1e-5;
            double plus = op.Loss(x + eps * v, observation).sum().item<double>();
            double minus = op.Loss(x - eps * v, observation).sum().item<double>();
            double fd = (plus - minus) / (2 * eps);
            double ad = (gradient * v).sum().item<double>();
            ad.Should().BeApproximately(fd, 1e-6 * Math.Max(1, Math.Abs(fd)), $"direction {trial}");
        }
    }

    [Test]
    public void GradientOfEachItemDoesNotDependOnTheOthers()
    {
        using var scope = NewDisposeScope();
        using var op = SmallOperator(adaptive: true);
        var g = new TorchSharp.torch.Generator(8);
        var x = GaussianRandomField.Sample(2, 16, g).to(ScalarType.Float64).unsqueeze(1) / 10;
        var observation = op.Forward(GaussianRandomField.Sample(2, 16, g).to(ScalarType.Float64).unsqueeze(1) / 10);
        var both = op.Gradient(x, observation);
        var first = op.Gradient(x.narrow(0, 0, 1), observation.narrow(0, 0, 1));
        (both.narrow(0, 0, 1) - first).abs().max().item<double>().Should().BeLessThan(1e-10);
    }

    [Test]
    public void ForwardWithoutTheOptionBuildsNoGraph()
    {
        using var scope = NewDisposeScope();
        using var op = new NavierStokesOperator(new NavierStokesOptions { Resolution = 16, ForwardTime = 0.02 });
        var x = zeros(1, 1, 16, 16).requires_grad_(true);
        op.Forward(x).requires_grad.Should().BeFalse();
    }

    [Test]
    [Explicit("Measures the autograd memory documented on NavierStokesOperator; slow and machine-dependent.")]
    public void MeasureGradientMemoryPerStep()
    {
        foreach (int r in new[] { 64, 128 })
        {
            using var scope = NewDisposeScope();
            using var op = new NavierStokesOperator(new NavierStokesOptions
            {
                Resolution = r, ForwardTime = 0.2, Adaptive = false, DeltaT = 0.002, EnableGradient = true,
            });
            var x = GaussianRandomField.Sample(1, r, new TorchSharp.torch.Generator(1)).unsqueeze(1) / 10;
            GC.Collect();
            long before = Process.GetCurrentProcess().WorkingSet64;
            using var grad = enable_grad();
            var input = x.detach().clone().requires_grad_(true);
            var y = op.Forward(input);
            long after = Process.GetCurrentProcess().WorkingSet64;
            double perStep = (after - before) / 100.0;
            double unit = r * (r / 2 + 1) * 8.0;
            TestContext.Progress.WriteLine($"R={r}: {perStep / 1e6:F2} MB per step per sample = {perStep / unit:F1} × R·(R/2+1)·8 bytes");
            y.sum().backward();
        }
    }
}
