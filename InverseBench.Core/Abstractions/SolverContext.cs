using InverseBench.Core.Runtime;
using InverseBench.Core.Tensors;
using static TorchSharp.torch;

namespace InverseBench.Core.Abstractions;

/// <summary>
/// Everything a solve receives besides the problem: the run's seeded random generator, the number of samples, the
/// device, progress and cancellation. Solvers never touch the global random generator.
/// </summary>
/// <remarks>
/// Random numbers must be drawn on the device of the tensors they feed, and a torch generator is bound to one device.
/// <see cref="SolverBase{TOptions}"/> therefore hands its algorithm <see cref="OnDevice"/>'s view of the context: on the
/// generator's own device that is this context; on another device (a CUDA operator with the usual CPU run generator) it is a
/// context whose <see cref="Generator"/> lives on that device, seeded with this generator's initial seed (as
/// <c>torch.manual_seed</c> seeds every device) and kept for the context's lifetime, so successive solves continue one
/// stream instead of repeating it. Random streams differ between devices, as in PyTorch.
/// </remarks>
public sealed class SolverContext
{
    private readonly object _gate = new();
    private readonly SolverContext? _root;
    private readonly List<SolverContext> _deviceViews = [];

    /// <summary>Creates a context.</summary>
    /// <param name="generator">The run's generator; every random draw of the solve goes through it.</param>
    /// <param name="numSamples">Samples to draw per observation (reference <c>num_samples</c>).</param>
    /// <param name="progress">Receives one report per solver step (optional).</param>
    /// <param name="cancellationToken">Checked once per step.</param>
    public SolverContext(Generator generator, int numSamples = 1, IProgress<SolverStepArguments>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentOutOfRangeException.ThrowIfLessThan(numSamples, 1);
        Generator = generator;
        NumSamples = numSamples;
        Progress = progress;
        CancellationToken = cancellationToken;
    }

    /// <summary>Creates a context with a new CPU generator seeded with <paramref name="seed"/>.</summary>
    public static SolverContext FromSeed(long seed, int numSamples = 1, IProgress<SolverStepArguments>? progress = null,
        CancellationToken cancellationToken = default)
    {
        TorchRuntime.EnsureInitialized();
        return new SolverContext(new Generator((ulong)seed), numSamples, progress, cancellationToken);
    }

    /// <summary>The run's random generator.</summary>
    public Generator Generator { get; }

    /// <summary>Samples per observation.</summary>
    public int NumSamples { get; }

    /// <summary>Per-step progress sink, or null.</summary>
    public IProgress<SolverStepArguments>? Progress { get; }

    /// <summary>Cancellation of the solve.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>
    /// This context with a generator on <paramref name="device"/>: the context itself when its generator is already there,
    /// otherwise a view (same samples, progress and cancellation) whose generator lives on <paramref name="device"/>,
    /// created once per device and reused by later calls.
    /// </summary>
    /// <param name="device">The device the solve draws its random numbers on (the forward operator's).</param>
    public SolverContext OnDevice(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (TensorGuard.SameDevice(Generator.device, device)) return this;
        if (_root is not null) return _root.OnDevice(device);
        lock (_gate)
        {
            foreach (var view in _deviceViews)
            {
                if (TensorGuard.SameDevice(view.Generator.device, device)) return view;
            }

            var created = new SolverContext(this, new Generator((ulong)Generator.initial_seed(), device));
            _deviceViews.Add(created);
            return created;
        }
    }

    private SolverContext(SolverContext root, Generator generator)
        : this(generator, root.NumSamples, root.Progress, root.CancellationToken)
    {
        _root = root;
    }

    /// <summary>Reports a step and checks for cancellation.</summary>
    public void Report(in SolverStepArguments step)
    {
        Progress?.Report(step);
        CancellationToken.ThrowIfCancellationRequested();
    }
}
