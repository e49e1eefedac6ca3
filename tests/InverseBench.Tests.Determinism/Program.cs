using System.Globalization;
using InverseBench.Algorithms;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Fluent;
using InverseBench.Core.Operators;
using InverseBench.Core.Priors;
using static TorchSharp.torch;

namespace InverseBench.Tests.Determinism;

/// <summary>
/// <c>InverseBench.Tests.Determinism --out FILE [--seed S] [--threads N]</c>: builds a seeded 4×4 linear-Gaussian problem,
/// runs DPS (200 steps, 3 samples) and EnKG (20 steps, 8 particles) with the analytic prior, and writes the raw bytes of
/// both sample tensors (float32, C order, DPS then EnKG) to FILE. Same arguments on the same machine and build must give
/// the same bytes in any process.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        string? output = null;
        long seed = 7;
        int? threads = null;
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--out": output = args[i + 1]; break;
                case "--seed": seed = long.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--threads": threads = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                default:
                    Console.Error.WriteLine($"unknown argument '{args[i]}'");
                    return 2;
            }
        }

        if (output is null)
        {
            Console.Error.WriteLine("usage: InverseBench.Tests.Determinism --out FILE [--seed S] [--threads N]");
            return 2;
        }

        if (threads is { } n) set_num_threads(n);
        using var scope = NewDisposeScope();
        var g = new Generator((ulong)seed);
        var mean = 0.5 * randn(1, 4, 4, generator: g);
        var std = 0.4 + 0.6 * rand(1, 4, 4, generator: g);
        var matrix = randn(6, 16, generator: g) / 4.0;
        var prior = GaussianPrior.Diagonal(mean, std);
        using var op = new MatrixOperator(matrix, noiseSigma: 0.1);
        var observation = op.Observe(mean.unsqueeze(0) + std * randn(1, 1, 4, 4, generator: g), g);

        var solvers = new InverseBenchContext().Solvers;
        using var dps = solvers.Dps(o => { o.Schedule.NumSteps = 200; o.GuidanceScale = 1; })
            .Solve(observation, op, prior, SolverContext.FromSeed(seed, numSamples: 3));
        using var enkg = solvers.Enkg(o => { o.NumSteps = 20; o.EnsembleSize = 8; o.BatchSize = 8; })
            .Solve(observation, op, prior, SolverContext.FromSeed(seed + 1));

        using var file = File.Create(output);
        foreach (var samples in new[] { dps.Samples, enkg.Samples })
            file.Write(samples.contiguous().to(ScalarType.Float32).bytes);
        Console.WriteLine($"threads={get_num_threads()} bytes={file.Length}");
        return 0;
    }

    /// <summary>y = A·vec(x), measurements <c>[B, 1, m]</c>.</summary>
    private sealed class MatrixOperator(Tensor matrix, double noiseSigma)
        : ForwardOperatorBase([1, 4, 4], [1, matrix.shape[0]], new GaussianNoise(noiseSigma))
    {
        private readonly Tensor _matrix = matrix.detach().clone().DetachFromDisposeScope();

        public override string Name => "determinism-linear";

        public override ScalarType MeasurementType => ScalarType.Float32;

        protected override Tensor ForwardPhysicalCore(Tensor physical)
        {
            using var scope = NewDisposeScope();
            var flat = physical.flatten(1).to(_matrix.dtype);
            return scope.MoveToOuter(flat.matmul(_matrix.T).reshape(physical.shape[0], 1, _matrix.shape[0]));
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) _matrix.Dispose();
            base.Dispose(disposing);
        }
    }
}
