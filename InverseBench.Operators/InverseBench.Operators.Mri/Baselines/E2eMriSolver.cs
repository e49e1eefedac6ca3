using InverseBench.Core.Abstractions;
using InverseBench.Core.Tensors;
using InverseBench.Operators.Mri.E2E;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Operators.Mri.Baselines;

/// <summary>
/// End-to-end MRI reconstruction — reference <c>algo/e2e_mri.py</c> <c>End2EndMRI.inference</c>:
/// <c>net(observation, mask.unsqueeze(-1)).double()</c> under <c>no_grad</c>. The network sees the observed k-space
/// <c>[B, C, H, W, 2]</c> in its own dtype (float32, as the reference's complex64 data) and the operator's mask with a
/// trailing axis, and returns a magnitude image <c>[B, 1, H, W]</c>. The solver returns it in the problem's signal layout
/// <c>[N, 2, H, W]</c> as the real channel with a zero imaginary channel, so the evaluator's magnitude equals the network's
/// output. Deterministic: the N requested samples are the same image.
/// </summary>
internal sealed class E2eMriSolver : SolverBase<E2eMriOptions>, IDisposable
{
    private readonly E2EReconstructionNetwork _network;
    private readonly bool _ownsNetwork;

    /// <summary>Loads the network from <see cref="E2eMriOptions.Checkpoint"/> (strict).</summary>
    public E2eMriSolver(E2eMriOptions options) : base(options)
    {
        if (string.IsNullOrWhiteSpace(Options.Checkpoint))
            throw new ArgumentException($"Solver '{E2eMriOptions.SolverName}' needs the network's checkpoint: set {nameof(E2eMriOptions.Checkpoint)} (algorithm.method.checkpoint=<file>).", nameof(options));
        _network = E2ENetworks.Load(Options.Checkpoint, Options.Mode, Options.VarNet, Options.UNet);
        _ownsNetwork = true;
    }

    /// <summary>Uses an already built (and loaded) network; the caller keeps ownership.</summary>
    public E2eMriSolver(E2eMriOptions options, E2EReconstructionNetwork network) : base(options)
    {
        _network = network ?? throw new ArgumentNullException(nameof(network));
        _ownsNetwork = false;
    }

    public override SolverRequirements Requirements { get; } = SolverRequirements.None;

    protected override Tensor SolveCore(Tensor observation, IForwardOperator forwardOperator, IDiffusionPrior? prior, SolverContext context)
    {
        if (forwardOperator is not MultiCoilMriOperator mri)
        {
            throw new ArgumentException(
                $"Solver '{Name}' reconstructs multi-coil MRI k-space and needs the {nameof(MultiCoilMriOperator)} (its sampling mask); " +
                $"problem '{forwardOperator.Name}' uses {forwardOperator.GetType().Name}.", nameof(forwardOperator));
        }

        var parameter = _network.parameters().FirstOrDefault();
        var dtype = parameter?.dtype ?? ScalarType.Float32;
        if (parameter is not null && !TensorGuard.SameDevice(parameter.device, mri.Device)) _network.to(mri.Device);
        using var noGrad = no_grad();
        var kspace = observation.to(mri.Device).to_type(dtype);
        var mask = mri.Mask.unsqueeze(-1);
        var magnitude = _network.forward(kspace, mask).to_type(ScalarType.Float64);
        if (magnitude.dim() != 4 || magnitude.shape[1] != 1 || magnitude.shape[2] != mri.Height || magnitude.shape[3] != mri.Width)
            throw new InvalidOperationException($"The {Options.Mode} network returned {TensorGuard.Format(magnitude.shape)}; expected [B, 1, {mri.Height}, {mri.Width}].");
        var channels = forwardOperator.Normalize(cat([magnitude, zeros_like(magnitude)], 1)).to_type(ScalarType.Float32);
        context.Report(new SolverStepArguments(0, 1, null, null, Name));
        if (channels.shape[0] == context.NumSamples) return channels;
        if (channels.shape[0] != 1)
            throw new ArgumentException($"Solver '{Name}' reconstructs one observation at a time or one per sample; got a batch of {channels.shape[0]} for {context.NumSamples} sample(s).", nameof(observation));
        return channels.expand(context.NumSamples, -1, -1, -1).contiguous();
    }

    public void Dispose()
    {
        if (_ownsNetwork) _network.Dispose();
    }
}
