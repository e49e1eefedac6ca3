using static TorchSharp.torch;

namespace InverseBench.Tests.Algorithms.Common;

/// <summary>
/// Runs a fixture with one intra-op thread (restored afterwards): solver runs are many tiny tensor ops, which oversubscribed
/// thread pools on a shared 2-core machine slow down several-fold (the reference fixtures were made with 1 thread too).
/// </summary>
public abstract class OneIntraOpThreadFixture
{
    private int _threads;

    [OneTimeSetUp]
    public void UseOneThread()
    {
        _threads = get_num_threads();
        set_num_threads(1);
    }

    [OneTimeTearDown]
    public void RestoreThreads() => set_num_threads(_threads);
}
