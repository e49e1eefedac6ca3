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
        spectral.ObservedCount.Should().Be(16);         // the full SVD pads S with zeros: 16 observed of 64
        spectral.UnobservedCount.Should().Be(48);
        var x = randn([5, 1, 8, 8], dtype: ScalarType.Float64, generator: new Generator(1));
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
        var x = randn([1, 1, 8, 8], dtype: ScalarType.Float32, generator: new Generator(2));
        using var spectral = new SpectralCoordinates(toy.Operator, toy.Operator.Forward(x));
        spectral.ObservedTarget.allclose(spectral.Observed(x), rtol: 1e-4, atol: 1e-4).Should().BeTrue();
        spectral.ObservedNoiseStd.allclose(toy.NoiseSigma / spectral.ObservedSingularValues).Should().BeTrue();
    }
}
