using System.Text.Json;
using InverseBench.Operators.Fwi;
using static TorchSharp.torch;
using Fixture = InverseBench.Tests.Operators.Fwi.FwiFixture;

namespace InverseBench.Tests.Operators.Fwi;

/// <summary>
/// The full fwi.yaml configuration (16 shots, 1001 steps, 288 × 208 padded grid) against the manifest's subsets and
/// checksums. One forward per model; the tolerances are those of the reduced configuration with the full configuration's
/// observed float32-vs-float64 values.
/// </summary>
[TestFixture, Category("Integration")]
public sealed class FwiFullConfigTests : FwiTestBase
{
    private readonly Dictionary<string, Tensor> _records = [];
    private FwiOperator? _op;

    private FwiOperator Op => _op ??= new FwiOperator(Fixture.Options(Fixture.Full));

    private static JsonElement Observed => Fixture.Manifest.GetProperty("full_observed");

    private static double RelativeBound => Fixture.Factor * Observed.GetProperty("float32_vs_float64_forward_A_rel_l2").GetDouble();

    /// <summary>Manifest criterion <c>1e-4·max|data|</c> plus devito's own float32 error (see FwiForwardTests).</summary>
    private static double MaxAbsBound(Tensor expected) =>
        Fixture.ForwardMaxAbsFraction * Fixture.MaxAbs(expected) + Observed.GetProperty("float32_vs_float64_forward_A_max_abs").GetDouble();

    [OneTimeTearDown]
    public void DisposeAll()
    {
        foreach (var t in _records.Values) t.Dispose();
        _op?.Dispose();
    }

    [TestCase("A", "full_A_shot0.npy")]
    [TestCase("A", "full_A_all_shots_t_every10.npy")]
    [TestCase("B", "full_B_all_shots_t_every20.npy")]
    public void Forward_Subsets_MatchDevito(string model, string file)
    {
        using var scope = NewDisposeScope();
        var expected = Fixture.Load(file);
        var records = Records(model)[0];
        string what = Fixture.Manifest.GetProperty("files").GetProperty(file).GetProperty("what").GetString()!;
        var actual = what.Contains("[0, 0]", StringComparison.Ordinal)
            ? records[0]
            : records[.., TensorIndex.Slice(null, null, Stride(what))];
        actual.shape.Should().Equal(expected.shape);
        Fixture.RelativeL2(actual, expected).Should().BeLessThan(RelativeBound);
        Fixture.MaxAbs(actual - expected).Should().BeLessThan(MaxAbsBound(expected));
    }

    [TestCase("A")]
    [TestCase("B")]
    public void Forward_PerShotChecksums_MatchDevito(string model)
    {
        using var scope = NewDisposeScope();
        var records = Records(model)[0].to(ScalarType.Float64);
        var checksums = Fixture.Manifest.GetProperty("full_forward_checksums");
        double total = 0;
        foreach (var shot in checksums.GetProperty(model).EnumerateArray())
        {
            var data = records[shot.GetProperty("shot").GetInt32()];
            double sumSq = data.square().sum().item<double>();
            total += sumSq;
            // ‖a‖² − ‖b‖² ≤ (2‖b‖ + ‖a − b‖)·‖a − b‖: relative to ‖b‖², about twice the relative L2 bound.
            sumSq.Should().BeApproximately(shot.GetProperty("sum_sq").GetDouble(), 2.1 * RelativeBound * shot.GetProperty("sum_sq").GetDouble());
            data.abs().max().item<double>().Should().BeApproximately(shot.GetProperty("max_abs").GetDouble(), MaxAbsBound(data));
        }

        double expectedTotal = checksums.GetProperty($"{model}_total_sum_sq").GetDouble();
        total.Should().BeApproximately(expectedTotal, 2.1 * RelativeBound * expectedTotal);
        records[.., 0].abs().max().item<double>().Should().Be(0);
        records[.., -1].abs().max().item<double>().Should().Be(0);
    }

    /// <summary>
    /// The full gradient at the smoothed model. devito's observation is stored only as subsets, so ours (which matches it,
    /// see above) is used; the loss bound adds the float32 spread the manifest measured on the reduced configuration.
    /// </summary>
    [Test]
    [Explicit("Full-configuration gradient: about a minute on two idle cores, several under load.")]
    public void Gradient_AtSmoothedModel_MatchesDevito()
    {
        using var scope = NewDisposeScope();
        var expected = Fixture.Load("full_grad_pred.npy");
        var (gradient, loss) = Op.GradientAndLoss(Op.Normalize(Fixture.Velocity("vel_pred.npy")), Records("A"));
        Fixture.RelativeL2(gradient, expected).Should().BeLessThan(Fixture.GradientRelativeL2);
        var reduced = Fixture.Manifest.GetProperty("reduced_observed");
        double spread = Math.Abs(reduced.GetProperty("float64_fval_pred").GetDouble() - reduced.GetProperty("gradient_fval_pred").GetDouble())
                        / reduced.GetProperty("float64_fval_pred").GetDouble();
        double fval = Observed.GetProperty("gradient_fval_pred").GetDouble();
        loss.item<double>().Should().BeApproximately(fval, (Fixture.LossRelative + spread) * fval);
    }

    private Tensor Records(string model)
    {
        if (!_records.TryGetValue(model, out var records))
        {
            // Cached for the whole fixture: detached from the calling test's dispose scope, disposed in DisposeAll.
            using (var scope = NewDisposeScope())
                records = Op.ForwardPhysical(Fixture.Velocity($"vel_{model}.npy")).DetachFromDisposeScope();
            _records[model] = records;
        }

        return records;
    }

    private static long Stride(string what)
    {
        var match = System.Text.RegularExpressions.Regex.Match(what, @"::(\d+)");
        if (!match.Success) throw new InvalidOperationException($"No time stride in '{what}'.");
        return long.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }
}
