using InverseBench.Core.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Tests.Core.Runtime;

public sealed class TorchRuntimeTests
{
    [Test]
    public void EnsureInitialized_LoadsTheNativeBackend_AndIsIdempotent()
    {
        var first = TorchRuntime.EnsureInitialized();
        var second = TorchRuntime.EnsureInitialized();
        second.Should().BeSameAs(first);
        if (OperatingSystem.IsLinux()) first.NativeLibraryPath.Should().NotBeNull();
    }

    [Test]
    public void TensorOps_Work()
    {
        using var a = arange(6, dtype: float64).reshape(2, 3);
        using var b = a.matmul(a.T);
        b.data<double>().ToArray().Should().Equal(5, 14, 14, 50);
    }

    [Test]
    public void ComplexFft_RoundTrips()
    {
        using var scope = NewDisposeScope();
        var x = randn(new long[] { 4, 8 }, dtype: float64, generator: new Generator(3));
        var spectrum = fft.fft2(x);
        spectrum.dtype.Should().Be(ScalarType.ComplexFloat64);
        var back = fft.ifft2(spectrum).real;
        (back - x).abs().max().item<double>().Should().BeLessThan(1e-12);
    }

    [Test]
    public void Autograd_GivesTheAnalyticGradient()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 1.0, -2.0, 3.0 }).requires_grad_(true);
        var y = (x * x * x).sum();
        var g = autograd.grad([y], [x])[0];
        g.data<double>().ToArray().Should().Equal(3.0, 12.0, 27.0);
    }

    [Test]
    public void ResolveDevice_DefaultsToCpu()
    {
        TorchRuntime.ResolveDevice(null).type.Should().Be(DeviceType.CPU);
        TorchRuntime.ResolveDevice("cpu").type.Should().Be(DeviceType.CPU);
        TorchRuntime.ResolveDevice("auto").type.Should().Be(TorchRuntime.Status.CudaAvailable ? DeviceType.CUDA : DeviceType.CPU);
    }

    [Test]
    public void ResolveDevice_RequestedCudaWithoutCuda_ThrowsNamingThePackages()
    {
        if (TorchRuntime.Status.CudaAvailable) Assert.Ignore("CUDA is available here.");
        var act = () => TorchRuntime.ResolveDevice("cuda");
        act.Should().Throw<TorchBackendException>().WithMessage("*libtorch-cuda-12.8-linux-x64*");
    }

    [Test]
    public void ResolveDevice_RejectsUnknownNames()
    {
        var act = () => TorchRuntime.ResolveDevice("tpu");
        act.Should().Throw<ArgumentException>().WithMessage("*'tpu' is not a device name*");
    }
}
