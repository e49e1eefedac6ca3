using InverseBench.Core.Abstractions;
using InverseBench.Core.Fluent;
using InverseBench.Tests.Core.Fakes;
using static TorchSharp.torch;

namespace InverseBench.Tests.Core.Fluent;

/// <summary>The run engine: ordered progress, cancellation, per-sample seeding, ownership, options snapshots, resume.</summary>
public sealed class InverseBenchRunTests
{
    private static InverseBenchRun ToyRun(MaskOperator op, int samples = 3, int steps = 4, long seed = 3, Action<InverseBenchRunBuilder>? extra = null)
    {
        var builder = InverseBenchRun.Create(seed)
            .Problem(p => p.Custom(op, ListDataset.Random(samples), new MseEvaluator()))
            .Prior(p => p.Custom(new IsotropicGaussianPrior()))
            .Solver(s => s.Custom(new WienerSolver(new WienerOptions { Steps = steps })));
        extra?.Invoke(builder);
        return builder.Build();
    }

    [Test]
    public void Observer_ReceivesEveryEventInOrder_OnTheExecutingThread()
    {
        using var op = new MaskOperator(noise: 0.01);
        using var run = ToyRun(op);
        var recorder = new Recorder();
        using var report = run.Execute(recorder);

        recorder.Threads.Should().OnlyContain(t => t == Environment.CurrentManagedThreadId);
        var expected = new List<string>();
        for (int k = 0; k < 3; k++)
        {
            expected.Add($"start {k}");
            expected.AddRange(Enumerable.Range(0, 4).Select(s => $"step {k}.{s}"));
            expected.Add($"done {k}");
        }

        recorder.Events.Should().Equal(expected);
    }

    [Test]
    public void CancellationFromAStepReport_StopsWithinOneStep()
    {
        using var op = new MaskOperator();
        using var run = ToyRun(op, samples: 2, steps: 50);
        using var cts = new CancellationTokenSource();
        var recorder = new Recorder(onStep: p => { if (p.Step?.Step == 5) cts.Cancel(); });
        var act = () => run.Execute(recorder, cts.Token);
        act.Should().Throw<OperationCanceledException>();
        recorder.Events.Count(e => e.StartsWith("step", StringComparison.Ordinal)).Should().Be(6, "steps 0..5, then the cancelled step report stops the solve");
        recorder.Events.Should().NotContain(e => e.StartsWith("done", StringComparison.Ordinal));
    }

    [Test]
    public void EachSample_HasItsOwnStream_SoASubsetReproducesTheFullRunBitForBit()
    {
        using var op = new MaskOperator(noise: 0.05);
        using var full = ToyRun(op, samples: 3);
        using var fullReport = full.Execute();
        using var subset = ToyRun(op, samples: 3, extra: b => b.SampleIds(["2", "1"]));
        using var subsetReport = subset.Execute();

        subsetReport.Samples.Select(s => s.Id).Should().Equal("2", "1");
        subsetReport.Samples[0].Reconstruction.eq(fullReport.Samples[2].Reconstruction).all().item<bool>().Should().BeTrue();
        subsetReport.Samples[1].Observation.eq(fullReport.Samples[1].Observation).all().item<bool>().Should().BeTrue();
        fullReport.Samples[0].Reconstruction.eq(fullReport.Samples[1].Reconstruction).all().item<bool>().Should().BeFalse();
    }

    [Test]
    public void Dispose_ReleasesWhatTheBuilderCreated_ButNotWhatTheCallerPassedIn()
    {
        using var borrowed = new MaskOperator();
        var run = ToyRun(borrowed);
        run.Dispose();
        borrowed.Mask.IsInvalid.Should().BeFalse("Custom(...) components belong to the caller");

        var created = new MaskOperator();
        var owned = InverseBenchRun.Create()
            .Problem(_ => new ProblemSelection(created, ListDataset.Random(1)))
            .Prior(p => p.Custom(new IsotropicGaussianPrior()))
            .Solver(s => s.Custom(new WienerSolver(new WienerOptions())))
            .Build();
        owned.Dispose();
        created.Mask.IsInvalid.Should().BeTrue("a component a catalog created belongs to the run");
        owned.Dispose(); // idempotent
    }

    [Test]
    public void SolverOptions_AreCopiedAtConstruction_SoLaterChangesHaveNoEffect()
    {
        var options = new WienerOptions { Steps = 2 };
        var solver = new WienerSolver(options);
        options.Steps = 40;
        solver.Options.Steps.Should().Be(2);
        solver.Options.Should().NotBeSameAs(options);
    }

    [Test]
    public void Store_ResumesFinishedSamples_AndRefusesAnotherConfiguration()
    {
        string folder = Path.Combine(Path.GetTempPath(), "ib-run-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            using var op = new MaskOperator(noise: 0.05);
            double first;
            using (var run = ToyRun(op, extra: b => b.SaveTo(folder)))
            using (var report = run.Execute())
            {
                first = report.Aggregate["mse"].Mean;
                report.Samples.Should().OnlyContain(s => !s.Reused);
            }

            File.Delete(Path.Combine(folder, "result_1_metrics.json")); // as if killed before sample 1 finished
            using (var run = ToyRun(op, extra: b => b.SaveTo(folder)))
            using (var report = run.Execute())
            {
                report.Samples.Select(s => s.Reused).Should().Equal(true, false, true);
                report.Aggregate["mse"].Mean.Should().Be(first, "the redone sample draws from its own seed");
            }

            using (var other = ToyRun(op, steps: 7, extra: b => b.SaveTo(folder)))
            {
                var act = () => other.Execute();
                act.Should().Throw<RunMismatchException>().WithMessage("*different configuration*new exp_name*overwrite=true*");
            }

            using (var replaced = ToyRun(op, steps: 7, extra: b => b.SaveTo(folder, overwrite: true)))
            using (var report = replaced.Execute())
            {
                report.Samples.Should().OnlyContain(s => !s.Reused);
            }

            string runJson = File.ReadAllText(Path.Combine(folder, "run.json"));
            runJson.Should().Contain("\"data\": \"dataset ListDataset (3 samples)\"").And.Contain("\"prior\": \"toy-gaussian (IsotropicGaussianPrior)\"")
                .And.Contain("\"version\"");
            File.ReadAllText(Path.Combine(folder, "result_0_metrics.json")).Should().Contain("\"seed\"").And.Contain("\"fingerprint\"");
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    private sealed class Recorder(Action<RunProgress>? onStep = null) : IRunObserver
    {
        public List<string> Events { get; } = [];

        public List<int> Threads { get; } = [];

        public void SampleStarted(RunProgress progress) => Add($"start {progress.SampleIndex}");

        public void Step(RunProgress progress)
        {
            Add($"step {progress.SampleIndex}.{progress.Step!.Value.Step}");
            onStep?.Invoke(progress);
        }

        public void SampleCompleted(int sampleIndex, int sampleCount, SampleReport report) => Add($"done {sampleIndex}");

        private void Add(string e)
        {
            Events.Add(e);
            Threads.Add(Environment.CurrentManagedThreadId);
        }
    }
}
