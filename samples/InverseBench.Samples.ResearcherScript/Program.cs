// A researcher's script: your own forward model, one of the benchmark's solvers (DPS) and an analytic prior.
using System.Globalization;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Fluent;
using InverseBench.Core.Operators;
using InverseBench.Core.Priors;
using InverseBench.Core.Running;
using InverseBench.Evaluation;
using static TorchSharp.torch;

const int R = 32, Factor = 4;
using var prior = new GaussianFieldPrior(new GaussianFieldPriorOptions { Resolution = R, Alpha = 4, Tau = 3 });  // exact score, no checkpoint
using var fields = prior.Sample(2, new Generator(42));                                      // two ground-truth fields
using var forward = new BoxAverage(R, Factor, noiseSigma: 0.05);

using var run = InverseBenchRun.Create(seed: 0)
    .Problem(p => p.Custom(forward, new FieldSet(fields)))  // the run simulates y = A(x) + noise from its seed
    .Prior(p => p.Custom(prior))
    .Solver(s => s.Dps(o => { o.Schedule.NumSteps = 200; o.GuidanceScale = 1.0; }))
    .SamplesPerObservation(4)
    .Build();
using BenchmarkReport report = run.Execute();

foreach (SampleReport sample in report.Samples)
{
    using var scope = NewDisposeScope();
    var mean = sample.Reconstruction.mean([0], keepdim: true);                      // posterior mean of 4 draws
    var upsampled = nn.functional.interpolate(sample.Observation, [R, R]);          // baseline: nearest upsampling
    Console.WriteLine($"field {sample.Id}: relative L2 of the posterior mean {Metrics.RelativeL2(mean, sample.Target).item<float>():F3}, " +
                      $"of the upsampled observation {Metrics.RelativeL2(upsampled, sample.Target).item<float>():F3}");
}

/// <summary>The forward model: each 4×4 block of the field averaged into one pixel, plus Gaussian noise.</summary>
sealed class BoxAverage(int resolution, int factor, double noiseSigma)
    : ForwardOperatorBase([1, resolution, resolution], [1, resolution / factor, resolution / factor], new GaussianNoise(noiseSigma))
{
    public override string Name => "box-average";
    public override ScalarType MeasurementType => ScalarType.Float32;
    protected override Tensor ForwardPhysicalCore(Tensor physical) => nn.functional.avg_pool2d(physical, factor);
}

/// <summary>The test set: fixed fields <c>[N, 1, R, R]</c>.</summary>
sealed class FieldSet(Tensor fields) : IProblemDataset
{
    public int Count => (int)fields.shape[0];
    public string GetId(int index) => index.ToString(CultureInfo.InvariantCulture);
    public Tensor GetTarget(int index) => fields[index..(index + 1)].clone();
}
