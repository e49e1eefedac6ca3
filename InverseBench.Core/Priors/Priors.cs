using InverseBench.Core.Checkpoints;
using InverseBench.Core.Diffusion.Preconditioning;
using InverseBench.Core.Modules;
using InverseBench.Core.Priors.Pretrained;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Core.Priors;

/// <summary>Entry points for diffusion priors.</summary>
public static partial class Priors
{
    /// <summary>The pretrained-prior presets (reference <c>configs/pretrain</c> names).</summary>
    public static IReadOnlyList<PriorPreset> Presets => PriorPresets.All;

    /// <summary>
    /// Builds the <paramref name="preset"/> architecture and loads <paramref name="checkpointPath"/> into it strictly
    /// (<c>ema</c> entry preferred, else <c>net</c>, else a flat state dict; <c>model.</c>, <c>module.</c> and
    /// <c>_orig_mod.</c> prefixes reconciled), then moves it to <paramref name="device"/> (CPU when null).
    /// </summary>
    /// <exception cref="KeyNotFoundException">Unknown preset; the message lists the valid ones.</exception>
    /// <exception cref="FileNotFoundException">The checkpoint does not exist.</exception>
    /// <exception cref="CheckpointException">The file is unreadable or does not match the architecture (every bad key listed).</exception>
    public static PreconditionedPrior FromCheckpoint(string checkpointPath, string preset, Device? device = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(checkpointPath);
        var p = PriorPresets.Get(preset);
        if (!File.Exists(checkpointPath)) throw new FileNotFoundException($"Checkpoint file '{checkpointPath}' does not exist (preset '{p.Name}' expects e.g. {p.CheckpointFile}).", checkpointPath);
        using var sd = Checkpoint.ReadStateDict(checkpointPath);
        return Build(p, sd, device);
    }

    /// <summary>
    /// Loads a checkpoint whose architecture is recognised from its keys and shapes (the first preset that matches exactly;
    /// Navier–Stokes, FWI and inverse scattering share one architecture).
    /// </summary>
    /// <exception cref="CheckpointException">No preset matches; the message names the closest one and its mismatches.</exception>
    public static PreconditionedPrior FromCheckpoint(string checkpointPath, Device? device = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(checkpointPath);
        using var sd = Checkpoint.ReadStateDict(checkpointPath);
        CheckpointException? closest = null;
        int closestCount = int.MaxValue;
        foreach (var p in PriorPresets.All)
        {
            var net = p.Build(ParameterInitialization.Uninitialized);
            try
            {
                Checkpoint.Load(net, sd);
                var prior = new PreconditionedPrior(net, p.Name);
                if (device is not null) prior.To(device);
                return prior;
            }
            catch (CheckpointException e)
            {
                net.Dispose();
                int count = e.MissingKeys.Count + e.UnexpectedKeys.Count + e.ShapeMismatches.Count;
                if (count < closestCount) (closest, closestCount) = (e, count);
            }
        }
        throw new CheckpointException($"Checkpoint '{checkpointPath}' matches none of the presets ({string.Join(", ", PriorPresets.All.Select(p => p.Name))}). " +
                                      $"Pass the preset explicitly. Closest: {closest?.Message}", closest!) { FilePath = checkpointPath };
    }

    /// <summary>
    /// Builds the network described by a reference <c>model:</c> block (<c>configs/pretrain/&lt;name&gt;.yaml</c>: <c>_target_</c>
    /// such as <c>models.precond.EDMPrecond</c> plus the constructor arguments, see <see cref="ReferenceModelConfig"/>) and loads
    /// <paramref name="checkpointPath"/> into it strictly. This honours edited configs; <see cref="FromCheckpoint(string, string, Device?)"/>
    /// uses the stock presets. <c>use_fp16: true</c> selects <see cref="NetworkPrecision.Float16"/> on CUDA devices and is
    /// ignored on the CPU, exactly as the reference applies it.
    /// </summary>
    /// <param name="checkpointPath">The checkpoint.</param>
    /// <param name="model">The <c>model</c> section (keys <c>_target_</c>, <c>img_resolution</c>, <c>model_type</c>, …).</param>
    /// <param name="name">The prior's name (e.g. the pretrain config name).</param>
    /// <param name="device">Target device (CPU when null).</param>
    public static PreconditionedPrior FromCheckpoint(string checkpointPath, Configuration.ConfigSection model, string name, Device? device = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(checkpointPath);
        ArgumentNullException.ThrowIfNull(model);
        string target = model.Get<string?>("_target_", null)
                        ?? throw new ArgumentException($"The model section '{model.Path}' has no _target_ (e.g. models.precond.EDMPrecond).", nameof(model));
        var args = model.Keys.ToDictionary(k => k, model.Raw, StringComparer.Ordinal);
        using var sd = Checkpoint.ReadStateDict(checkpointPath);
        var net = ReferenceModelConfig.Build(target, args);
        try
        {
            Checkpoint.Load(net, sd);
        }
        catch
        {
            net.Dispose();
            throw;
        }
        var prior = new PreconditionedPrior(net, name);
        if (device is not null) prior.To(device);
        // The reference's use_fp16: float16 network arithmetic on CUDA, ignored on the CPU (EDM's precond.py condition).
        if (model.Get("use_fp16", false) && prior.Device.type == DeviceType.CUDA) prior.UsePrecision(NetworkPrecision.Float16);
        return prior;
    }

    /// <summary>A prior of the <paramref name="preset"/> architecture with the reference's random initialisation (no checkpoint), for tests and training.</summary>
    public static PreconditionedPrior Create(string preset, long seed = 0, Device? device = null)
    {
        var p = PriorPresets.Get(preset);
        var prior = new PreconditionedPrior(p.Build(ParameterInitialization.Reference, seed), p.Name);
        if (device is not null) prior.To(device);
        return prior;
    }

    private static PreconditionedPrior Build(PriorPreset preset, StateDict stateDict, Device? device)
    {
        var net = preset.Build(ParameterInitialization.Uninitialized);
        try
        {
            Checkpoint.Load(net, stateDict);
        }
        catch
        {
            net.Dispose();
            throw;
        }
        var prior = new PreconditionedPrior(net, preset.Name);
        if (device is not null) prior.To(device);
        return prior;
    }
}
