using InverseBench.Core.Runtime;

namespace InverseBench.Tests;

/// <summary>Loads TorchSharp's native backend once for the whole test assembly (patching it when the OS needs it).</summary>
[SetUpFixture]
public sealed class AssemblySetup
{
    [OneTimeSetUp]
    public void LoadTorch()
    {
        var status = TorchRuntime.EnsureInitialized();
        TestContext.Progress.WriteLine($"Torch runtime: {status}");
    }
}
