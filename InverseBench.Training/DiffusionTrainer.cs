using System.Diagnostics;
using System.Globalization;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Checkpoints;
using InverseBench.Core.Diffusion.Preconditioning;
using InverseBench.Core.Running;
using InverseBench.Training.Checkpoints;
using InverseBench.Training.Data;
using InverseBench.Training.Losses;
using InverseBench.Training.Optimization;
using static TorchSharp.torch;

namespace InverseBench.Training;

/// <summary>The outcome of <see cref="DiffusionTrainer.Train"/>.</summary>
/// <param name="StartStep">Completed steps when the call began (non-zero after a resume).</param>
/// <param name="EndStep">Completed steps when it returned.</param>
/// <param name="LastLoss">Loss of the last step (NaN when no step ran).</param>
/// <param name="Checkpoints">Checkpoint files written by the call, in order.</param>
/// <param name="Elapsed">Wall time of the call.</param>
public sealed record TrainingResult(long StartStep, long EndStep, double LastLoss, IReadOnlyList<string> Checkpoints, TimeSpan Elapsed);

/// <summary>
/// The training loop of the reference's <c>train.py</c> for a preconditioned diffusion network: per step, the batch of
/// the seeded data order (<see cref="TrainingBatches"/>), the mean of the denoising loss, backward, optional global
/// gradient-norm clipping, an Adam step with the linear warm-up rate, then the EMA update with the half-life rule
/// (<see cref="TrainingSchedules"/>). Checkpoints (<see cref="TrainingCheckpoint"/>) every <c>save_every</c> steps, at the
/// end and on cancellation.
/// </summary>
/// <remarks>
/// <para>Randomness: step <c>s</c> draws its noise levels and noise from a generator seeded with
/// <see cref="SampleSeed.Derive"/>(seed, <c>"step-s"</c>), and epoch <c>e</c>'s order from (seed, <c>"epoch-e"</c>), so a
/// run resumed from a checkpoint continues exactly as the uninterrupted run (same device and thread count). The reference
/// does not restore its RNG on resume and repeats the checkpoint's step; neither is reproduced.</para>
/// <para>The trainer owns neither network; dispose them after the trainer.</para>
/// </remarks>
public sealed class DiffusionTrainer : IDisposable
{
    private readonly IReadOnlyList<Tensor> _parameters;
    private readonly IReadOnlyList<Tensor> _emaParameters;
    private readonly AdamOptimizer _optimizer;
    private bool _disposed;

    /// <summary>Creates a trainer; the EMA network is set to the network's weights (the reference's <c>deepcopy</c>).</summary>
    /// <param name="network">The network to train (same architecture as <paramref name="ema"/>).</param>
    /// <param name="ema">The EMA copy (its parameters stop requiring gradients).</param>
    /// <param name="loss">The denoising loss.</param>
    /// <param name="options">The loop settings (validated).</param>
    /// <exception cref="ArgumentException">Invalid options, or the two networks differ in their state-dict keys or shapes.</exception>
    public DiffusionTrainer(Preconditioner network, Preconditioner ema, DenoisingLoss loss, TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(ema);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(options);
        if (ReferenceEquals(network, ema)) throw new ArgumentException("The EMA network must be a separate copy of the network.", nameof(ema));
        options.EnsureValid();
        Core.Runtime.TorchRuntime.EnsureInitialized();
        var netState = Checkpoint.OrderedStateDict(network);
        var emaState = Checkpoint.OrderedStateDict(ema);
        if (netState.Count != emaState.Count || netState.Zip(emaState).Any(p => p.First.Key != p.Second.Key || !p.First.Value.shape.SequenceEqual(p.Second.Value.shape)))
            throw new ArgumentException("The EMA network must have the network's architecture (same state-dict keys and shapes).", nameof(ema));
        Network = network;
        Ema = ema;
        Loss = loss;
        Options = options;
        _parameters = ParameterOrder(network);
        _emaParameters = ParameterOrder(ema);
        using (no_grad())
            foreach (var (dst, src) in emaState.Zip(netState)) dst.Value.copy_(src.Value);
        ema.eval();
        foreach (var p in _emaParameters) p.requires_grad = false;
        _optimizer = new AdamOptimizer(_parameters, options.LearningRate);
    }

    /// <summary>The network being trained.</summary>
    public Preconditioner Network { get; }

    /// <summary>The EMA network (the weights a prior uses).</summary>
    public Preconditioner Ema { get; }

    /// <summary>The loss.</summary>
    public DenoisingLoss Loss { get; }

    /// <summary>The settings.</summary>
    public TrainingOptions Options { get; }

    /// <summary>Completed optimizer steps.</summary>
    public long Step { get; private set; }

    /// <summary>Restores network, EMA, optimizer and step from a checkpoint written by <see cref="SaveCheckpoint"/> (or the reference's <c>train.py</c>).</summary>
    public void Resume(string checkpointPath)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Step = TrainingCheckpoint.Load(checkpointPath, Network, Ema, _optimizer);
    }

    /// <summary>Writes the current state to <paramref name="path"/> (see <see cref="TrainingCheckpoint"/>).</summary>
    public void SaveCheckpoint(string path)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        TrainingCheckpoint.Save(path, Network, Ema, _optimizer, Options.WarmupSteps, Step);
    }

    /// <summary>
    /// Trains from <see cref="Step"/> up to <see cref="TrainingOptions.NumSteps"/> on <paramref name="data"/>. With a
    /// <paramref name="checkpointDirectory"/>, writes <c>ckpt_&lt;step&gt;.pt</c> every <see cref="TrainingOptions.SaveEvery"/>
    /// steps, after the last step, and when cancelled (then throws <see cref="OperationCanceledException"/>).
    /// </summary>
    /// <param name="data">The training set: targets <c>[1, C, H, W]</c> matching the network.</param>
    /// <param name="checkpointDirectory">Where checkpoints go; null writes none.</param>
    /// <param name="progress">Receives a report every <see cref="TrainingOptions.LogEvery"/> steps and after the last one.</param>
    /// <param name="cancellationToken">Stops the loop between steps.</param>
    public TrainingResult Train(IProblemDataset data, string? checkpointDirectory = null, IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(data);
        var batches = new TrainingBatches(data, Options.BatchSize, Options.Seed);
        var device = _parameters[0].device;
        var written = new List<string>();
        long start = Step;
        var clock = Stopwatch.StartNew();
        double sinceReport = 0, lastLoss = double.NaN, reportStart = 0;
        long stepsSinceReport = 0;
        string Save()
        {
            string path = Path.Combine(checkpointDirectory!, TrainingCheckpoint.FileName(Step));
            SaveCheckpoint(path);
            written.Add(path);
            return path;
        }

        while (Step < Options.NumSteps)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                if (checkpointDirectory is not null && Step > start) Save();
                cancellationToken.ThrowIfCancellationRequested();
            }

            using (var batch = batches.Batch(Step, device))
                lastLoss = TrainStep(batch);
            if (!double.IsFinite(lastLoss))
                throw new NumericalDivergenceException("diffusion training", $"the loss became {lastLoss.ToString(CultureInfo.InvariantCulture)}; lower train.lr or set train.grad_clip", step: Step - 1);
            sinceReport += lastLoss;
            stepsSinceReport++;
            if (Step % Options.LogEvery == 0 || Step == Options.NumSteps)
            {
                double now = clock.Elapsed.TotalSeconds;
                progress?.Report(new TrainingProgress(Step, Options.NumSteps, sinceReport / stepsSinceReport,
                    TrainingSchedules.WarmupLearningRate(Options.LearningRate, Step - 1, Options.WarmupSteps),
                    stepsSinceReport * Options.BatchSize / Math.Max(now - reportStart, 1e-9), clock.Elapsed));
                sinceReport = 0;
                stepsSinceReport = 0;
                reportStart = now;
            }

            if (checkpointDirectory is not null && (Step % Options.SaveEvery == 0 || Step == Options.NumSteps)) Save();
        }

        return new TrainingResult(start, Step, lastLoss, written, clock.Elapsed);
    }

    /// <summary>
    /// One optimizer step on <paramref name="batch"/> (<c>[B, C, H, W]</c>) with the noise of step <see cref="Step"/>;
    /// returns the loss and advances <see cref="Step"/>.
    /// </summary>
    public double TrainStep(Tensor batch)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(batch);
        long step = Step;
        Network.train();
        _optimizer.LearningRate = TrainingSchedules.WarmupLearningRate(Options.LearningRate, step, Options.WarmupSteps);
        double value;
        using (var scope = NewDisposeScope())
        {
            var generator = new Generator(SampleSeed.Derive(Options.Seed, "step-" + step.ToString(CultureInfo.InvariantCulture)), batch.device);
            _optimizer.ZeroGrad();
            var loss = Loss.Mean(Network, batch, generator);
            loss.backward();
            value = loss.item<float>();
            if (Options.GradClip > 0) ClipGradNorm(_parameters, Options.GradClip);
            _optimizer.Step();
            double beta = TrainingSchedules.EmaBeta(step, Options.BatchSize, Options.EmaHalfLifeImages, Options.EmaRampupRatio);
            using var noGrad = no_grad();
            for (int i = 0; i < _parameters.Count; i++)
                _emaParameters[i].copy_(_parameters[i].detach().lerp(_emaParameters[i], beta));
        }

        _optimizer.ZeroGrad();
        Step = step + 1;
        return value;
    }

    /// <summary>
    /// PyTorch's <c>clip_grad_norm_</c>: the 2-norm of all gradients together; when above <paramref name="maxNorm"/> every
    /// gradient is scaled by <c>maxNorm / (norm + 1e-6)</c>. Returns the norm before clipping.
    /// </summary>
    public static double ClipGradNorm(IReadOnlyList<Tensor> parameters, double maxNorm)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var grads = parameters.Select(p => p.grad).Where(g => g is not null).Select(g => g!).ToList();
        if (grads.Count == 0) return 0;
        var total = stack(grads.Select(g => g.norm()).ToArray()).norm();
        var coef = total.add(1e-6).reciprocal().mul(maxNorm).clamp_max(1.0);
        foreach (var g in grads) g.mul_(coef);
        return total.item<float>();
    }

    /// <summary>The parameters, in PyTorch's <c>net.parameters()</c> order (own, then each child recursively).</summary>
    public static IReadOnlyList<Tensor> ParameterOrder(nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        var result = new List<Tensor>();
        void Collect(nn.Module m)
        {
            foreach (var (_, p) in m.named_parameters(recurse: false)) result.Add(p);
            foreach (var (_, child) in m.named_children()) Collect(child);
        }

        Collect(module);
        return result;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _optimizer.Dispose();
    }
}
