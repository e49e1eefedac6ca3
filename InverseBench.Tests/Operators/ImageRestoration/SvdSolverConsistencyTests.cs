using InverseBench.Algorithms.Ddnm;
using InverseBench.Algorithms.Ddrm;
using InverseBench.Algorithms.PiGdm;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Priors;
using InverseBench.Operators.ImageRestoration;
using InverseBench.Operators.ImageRestoration.Data;
using InverseBench.Operators.ImageRestoration.Evaluation;
using static TorchSharp.torch;

namespace InverseBench.Tests.Operators.ImageRestoration;

/// <summary>
/// DDRM, DDNM and ΠGDM through the operators' SVDs on 32-pixel portraits with an independent-pixel Gaussian prior
/// N(0, 0.6²): every reconstruction explains the observation to within the noise level (a wrong U, Σ or Vᵀ would not), and
/// for denoising it is as good as the observation itself.
/// </summary>
[TestFixture, Category("Integration")]
public sealed class SvdSolverConsistencyTests
{
    private const int Side = 32;

    public static IEnumerable<TestCaseData> Cases()
    {
        var operators = new (string Name, Func<LinearImageOperator> Create)[]
        {
            ("denoise", () => new DenoiseOperator(new DenoiseOptions { Resolution = Side })),
            ("inpaint", () => new InpaintingOperator(new InpaintingOptions { Resolution = Side, MaskLengthLow = 8, MaskLengthHigh = 16 })),
            ("sr", () => new SuperResolutionOperator(new SuperResolutionOptions { Resolution = Side })),
            ("deblur", () => new GaussianBlurOperator(new GaussianBlurOptions { Resolution = Side })),
        };
        var solvers = new (string Name, Func<ISolver> Create)[]
        {
            ("ddrm", () => new DdrmSolver(new DdrmOptions { Schedule = { NumSteps = 20 } })),
            ("ddnm", () => new DdnmSolver(new DdnmOptions { Schedule = { NumSteps = 20 } })),
            ("pigdm", () => new PiGdmSolver(new PiGdmOptions { Schedule = { NumSteps = 20 } })),
        };
        foreach (var op in operators)
            foreach (var solver in solvers)
                yield return new TestCaseData(op.Create, solver.Create).SetArgDisplayNames(op.Name, solver.Name);
    }

    [TestCaseSource(nameof(Cases))]
    public void Reconstruction_ExplainsTheObservation_WithinTheNoiseLevel(Func<LinearImageOperator> createOperator, Func<ISolver> createSolver)
    {
        using var op = createOperator();
        using var scope = NewDisposeScope();
        var prior = GaussianPrior.Diagonal(zeros(3, Side, Side), full(3, Side, Side, 0.6));
        var target = new SyntheticPortraitDataset(1, seed: 0, resolution: Side).GetTarget(0);
        var y = op.Observe(target, new Generator(5));
        using var result = createSolver().Solve(y, op, prior, SolverContext.FromSeed(1));
        double rms = (op.Forward(result.Samples) - y).square().mean().sqrt().item<float>();
        rms.Should().BeLessThan(1.5 * op.Noise.Sigma);
        if (op is DenoiseOperator)
        {
            var evaluator = new ImageEvaluator();
            evaluator.Evaluate(result.Samples, target)["psnr"].Should().BeGreaterThan(evaluator.Evaluate(y, target)["psnr"] - 2.5);
        }
    }
}
