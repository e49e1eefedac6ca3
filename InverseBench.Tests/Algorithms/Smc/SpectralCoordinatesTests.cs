using InverseBench.Algorithms.Smc;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Tests.Algorithms.Smc;

public sealed class SpectralCoordinatesTests
{
    [Test]
    public void Observed_and_unobserved_parts_recompose_the_signal_and_are_orthogonal()
    {
        var toy = SharedToy.Problem;
        using var scope = NewDisposeScope();
        using var spectral = new SpectralCoordinates(toy.Operator, toy.Observation);
        // The full SVD pads S with zeros: m observed coordinates of n (A is [m, n], m < n).
        long m = toy.Matrix.shape[0], n = toy.Matrix.shape[1];
        spectral.ObservedCount.Should().Be((int)m);
        spectral.UnobservedCount.Should().Be((int)(n - m));
        var x = randn([5, .. toy.Operator.SignalShape], dtype: ScalarType.Float64, generator: new Generator(1));
        var obs = spectral.Observed(x);
        var rest = spectral.Unobserved(x);
        spectral.Compose(obs, x).allclose(x, rtol: 1e-6, atol: 1e-6).Should().BeTrue();
        // The shared test operator's V returns float32-rounded signals: orthogonality holds to ~1e-8.
        (spectral.Embed(obs) * rest).sum().abs().item<double>().Should().BeLessThan(1e-6);
        spectral.Observed(rest).abs().max().item<double>().Should().BeLessThan(1e-6);
        // ‖x‖² = ‖obs‖² + ‖rest‖² (orthonormal V).
        (x.square().sum() - obs.square().sum() - spectral.UnobservedSquaredNorm(x).sum()).abs().item<double>().Should().BeLessThan(1e-5);
    }

    [Test]
    public void Noise_free_observations_give_the_observed_coefficients_of_the_signal()
    {
        var toy = SharedToy.Problem;
        using var scope = NewDisposeScope();
        var x = randn([1, .. toy.Operator.SignalShape], dtype: ScalarType.Float32, generator: new Generator(2));
        using var spectral = new SpectralCoordinates(toy.Operator, toy.Operator.Forward(x));
        spectral.ObservedTarget.allclose(spectral.Observed(x), rtol: 1e-4, atol: 1e-4).Should().BeTrue();
        spectral.ObservedNoiseStd.allclose(toy.NoiseSigma / spectral.ObservedSingularValues).Should().BeTrue();
    }
}
