using System.Diagnostics;
using InverseBench.Core.Checkpoints;
using InverseBench.Training;
using InverseBench.Training.Checkpoints;
using InverseBench.Training.Data;
using InverseBench.Training.Losses;
using static TorchSharp.torch;

namespace InverseBench.Tests.Training;

[TestFixture]
public sealed class TrainingCheckpointTests
{
    private const int Resolution = 8;
    private string _dir = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = Path.Combine(Path.GetTempPath(), "ib-train-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
    }

    [TearDown]
    public void TearDown()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private static TensorTrainingSet Data()
    {
        using var scope = NewDisposeScope();
        return new TensorTrainingSet(randn([24, 1, Resolution, Resolution], generator: new Generator(11)).mul(0.5));
    }

    private static TrainingOptions Options(long steps) => new()
    {
        LearningRate = 2e-3, BatchSize = 4, NumSteps = steps, WarmupSteps = 2, GradClip = 1.0, EmaHalfLifeImages = 40,
        EmaRampupRatio = 0.5, SaveEvery = 3, LogEvery = 1, Seed = 5,
    };

    private static Dictionary<string, float[]> Snapshot(nn.Module m) =>
        Checkpoint.OrderedStateDict(m).ToDictionary(kv => kv.Key, kv => kv.Value.data<float>().ToArray());

    [Test]
    public void ResumingFromACheckpointGivesTheUninterruptedParameters()
    {
        // uninterrupted: 8 steps (epochs of 6 batches, so the resume crosses an epoch boundary)
        using var data = Data();
        Dictionary<string, float[]> straightNet, straightEma;
        using (var net = TinyNetworks.Edm(Resolution, seed: 3))
        using (var ema = TinyNetworks.EdmUninitialized(Resolution))
        using (var trainer = new DiffusionTrainer(net, ema, new EdmLoss(), Options(8)))
        {
            trainer.Train(data);
            straightNet = Snapshot(net);
            straightEma = Snapshot(ema);
        }

        // interrupted: cancelled after step 5 (a checkpoint is written on cancellation), then resumed in new objects
        string ckpts = Path.Combine(_dir, "ckpts");
        using (var net = TinyNetworks.Edm(Resolution, seed: 3))
        using (var ema = TinyNetworks.EdmUninitialized(Resolution))
        using (var trainer = new DiffusionTrainer(net, ema, new EdmLoss(), Options(8)))
        using (var cts = new CancellationTokenSource())
        {
            var progress = new SyncProgress(p => { if (p.Step == 5) cts.Cancel(); });
            var act = () => trainer.Train(data, ckpts, progress, cts.Token);
            act.Should().Throw<OperationCanceledException>();
        }

        TrainingCheckpoint.Latest(ckpts).Should().EndWith("ckpt_5.pt");
        File.Exists(Path.Combine(ckpts, "ckpt_3.pt")).Should().BeTrue();
        using (var net = TinyNetworks.EdmUninitialized(Resolution))
        using (var ema = TinyNetworks.EdmUninitialized(Resolution))
        using (var trainer = new DiffusionTrainer(net, ema, new EdmLoss(), Options(8)))
        {
            trainer.Resume(TrainingCheckpoint.Latest(ckpts)!);
            trainer.Step.Should().Be(5);
            var result = trainer.Train(data, ckpts);
            result.StartStep.Should().Be(5);
            result.EndStep.Should().Be(8);
            var resumedNet = Snapshot(net);
            var resumedEma = Snapshot(ema);
            foreach (var (key, values) in straightNet)
            {
                resumedNet[key].Should().Equal(values, $"net parameter {key} must equal the uninterrupted run's");
                resumedEma[key].Should().Equal(straightEma[key], $"EMA parameter {key} must equal the uninterrupted run's");
            }
        }

        File.Exists(Path.Combine(ckpts, "ckpt_8.pt")).Should().BeTrue();
    }

    [Test]
    public void CheckpointLoadsStrictlyAsAPriorFromItsEmaEntry()
    {
        using var data = Data();
        using var net = TinyNetworks.Edm(Resolution, seed: 1);
        using var ema = TinyNetworks.EdmUninitialized(Resolution);
        using var trainer = new DiffusionTrainer(net, ema, new EdmLoss(), Options(3));
        trainer.Train(data, _dir);
        using var sd = Checkpoint.ReadStateDict(Path.Combine(_dir, "ckpt_3.pt"));
        sd.Source.Should().Be("ema");
        using var loaded = TinyNetworks.EdmUninitialized(Resolution);
        Checkpoint.Load(loaded, sd);
        Snapshot(loaded).Should().BeEquivalentTo(Snapshot(ema));
    }

    [Test]
    public void PythonTorchLoadReadsTheCheckpoint()
    {
        string? python = new[] { "/usr/bin/python3", "/usr/local/bin/python3" }.FirstOrDefault(File.Exists);
        if (python is null) Assert.Ignore("python3 is not installed: the torch.load check needs Python with PyTorch (apt install python3-torch).");
        var probe = Run(python!, "-c \"import torch\"");
        if (probe.ExitCode != 0) Assert.Ignore($"Python's torch is not importable ({probe.Output.Trim()}): apt install python3-torch to run this check.");

        using var data = Data();
        using var net = TinyNetworks.Edm(Resolution, seed: 2);
        using var ema = TinyNetworks.EdmUninitialized(Resolution);
        using var trainer = new DiffusionTrainer(net, ema, new EdmLoss(), Options(3));
        trainer.Train(data, _dir);
        string ckpt = Path.Combine(_dir, "ckpt_3.pt");
        string script = Path.Combine(_dir, "check.py");
        File.WriteAllText(script, """
            import sys, torch
            ck = torch.load(sys.argv[1], map_location='cpu')
            assert sorted(ck.keys()) == ['ema', 'net', 'optimizer', 'scheduler', 'training_steps'], sorted(ck.keys())
            assert ck['training_steps'] == 3
            net, ema = ck['net'], ck['ema']
            assert list(net.keys()) == list(ema.keys())
            opt = torch.optim.Adam([torch.nn.Parameter(t.clone()) for k, t in net.items() if not k.endswith('resample_filter')], lr=1e-3)
            opt.load_state_dict(ck['optimizer'])
            st = ck['optimizer']['state'][0]
            assert float(st['step']) == 3.0, st['step']
            assert ck['scheduler']['last_epoch'] == 3
            print('keys', len(net), 'first', next(iter(net.keys())), 'sum', float(sum(t.double().sum() for t in ema.values())))
            """.Replace("            ", ""));
        var result = Run(python!, $"\"{script}\" \"{ckpt}\"");
        result.ExitCode.Should().Be(0, result.Output);
        double sum = Checkpoint.OrderedStateDict(ema).Sum(kv => kv.Value.to(ScalarType.Float64).sum().item<double>());
        var parts = result.Output.Trim().Split(' ');
        parts[1].Should().Be(Checkpoint.OrderedStateDict(ema).Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        parts[3].Should().Be(Checkpoint.OrderedStateDict(ema)[0].Key);
        double.Parse(parts[5], System.Globalization.CultureInfo.InvariantCulture).Should().BeApproximately(sum, 1e-6 * Math.Max(1, Math.Abs(sum)));
    }

    private static (int ExitCode, string Output) Run(string file, string args)
    {
        var psi = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.Environment["OMP_NUM_THREADS"] = "1";
        using var p = Process.Start(psi)!;
        string output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output);
    }

    /// <summary>An <see cref="IProgress{T}"/> that reports synchronously (Progress&lt;T&gt; posts to the thread pool).</summary>
    private sealed class SyncProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
