using System.Text.Json;
using InverseBench.Core.IO;
using InverseBench.Operators.Mri;
using InverseBench.Operators.Mri.Functional;
using InverseBench.Tests.TestUtilities;

namespace InverseBench.Tests.Operators.Mri;

/// <summary>The numpy-exact sampling masks of <c>MultiCoilMRI.get_mask</c> and the legacy MT19937 behind them.</summary>
[TestFixture]
public sealed class SamplingMaskTests
{
    private static IEnumerable<TestCaseData> MaskCases() => TestFixtures.Cases(MriFixture.Folder, (manifest, _) =>
        manifest.GetProperty("files").EnumerateObject()
            .Where(f => f.Value.TryGetProperty("kwargs", out JsonElement _))
            .Select(f => new TestCaseData(f.Name).SetArgDisplayNames(f.Name)));

    [TestCaseSource(nameof(MaskCases))]
    public void Create_MatchesTheReferenceMaskBitForBit(string file)
    {
        var entry = MriFixture.Manifest.GetProperty("files").GetProperty(file);
        var kwargs = entry.GetProperty("kwargs");
        var mask = SamplingMask.Create(
            kwargs.GetProperty("acs_lines").GetInt32(),
            kwargs.GetProperty("total_lines").GetInt32(),
            kwargs.GetProperty("R").GetDouble(),
            Enum.Parse<MaskPattern>(kwargs.GetProperty("pattern").GetString()!, ignoreCase: true),
            kwargs.GetProperty("seed").GetUInt32());
        var expected = Npy.ReadArray(TestFixtures.FilePath(MriFixture.Folder, file)).ToDoubleArray();
        mask.Select(b => b ? 1.0 : 0.0).Should().Equal(expected);
        if (entry.TryGetProperty("num_ones", out JsonElement ones)) mask.Count(b => b).Should().Be(ones.GetInt32());
    }

    [Test]
    public void OperatorMask_OfTheSmallProblem_MatchesTheReferenceOperatorMask()
    {
        using var op = new MultiCoilMriOperator(MriFixture.SmallOptions());
        using var expected = MriFixture.Load("small_mask.npy");
        op.Mask.shape.Should().Equal(expected.shape);
        (op.Mask == expected).all().item<bool>().Should().BeTrue();
    }

    [Test]
    public void Permutation_OfTen_WithSeedZero_IsNumpysLegacyPermutation()
    {
        // np.random.seed(0); np.random.permutation(10) (numpy's documented legacy stream)
        new LegacyMersenneTwister(0).Permutation(10).Should().Equal(2, 8, 4, 9, 1, 6, 7, 3, 0, 5);
    }

    [Test]
    public void NextUInt32_WithSeed5489_GivesTheMt19937ReferenceOutputs()
    {
        // Matsumoto–Nishimura mt19937ar.c with init_genrand(5489): first outputs 3499211612, 581869302, 3890346734.
        var rng = new LegacyMersenneTwister(5489);
        new[] { rng.NextUInt32(), rng.NextUInt32(), rng.NextUInt32() }.Should().Equal(3499211612u, 581869302u, 3890346734u);
    }

    [TestCase(320, 4.0, 25)]
    [TestCase(320, 8.0, 12)]
    [TestCase(32, 4.0, 2)]
    public void AutoCalibrationLines_FollowsTheConstructorRule(int total, double r, int expected) =>
        SamplingMask.AutoCalibrationLines(total, r).Should().Be(expected);

    [Test]
    public void Create_Equispaced_SamplesEveryRthOuterLineAndTheCentre()
    {
        var mask = SamplingMask.Create(4, 16, 4, MaskPattern.Equispaced, 0);
        // centre 6..9; outer = 0..5, 10..15 (12 lines) → outer[::4] = outer[0, 4, 8] = 0, 4, 12
        Enumerable.Range(0, 16).Where(i => mask[i]).Should().Equal(0, 4, 6, 7, 8, 9, 12);
    }

    [Test]
    public void Create_WithMoreAcsLinesThanTheBudget_ThrowsNamingTheCounts()
    {
        var act = () => SamplingMask.Create(10, 32, 8, MaskPattern.Random, 0);
        act.Should().Throw<ArgumentException>().WithMessage("*samples 4 lines*10 ACS lines*");
    }

    [Test]
    public void MaskFile_IsUsedInsteadOfDrawing_AndAWrongLengthIsRefusedNamingTheFile()
    {
        string dir = Directory.CreateTempSubdirectory("ib-mri-mask-").FullName;
        try
        {
            string good = Path.Combine(dir, "mask16.npy");
            var lines = Enumerable.Range(0, 16).Select(i => i % 3 == 0 ? 1.0 : 0.0).ToArray();
            using (var t = TorchSharp.torch.tensor(lines)) Npy.Write(good, t);
            using var op = new MultiCoilMriOperator(new MultiCoilMriOptions { Height = 8, Width = 16, TotalLines = 16, Coils = 1, MaskFile = good });
            op.MaskLines.Select(b => b ? 1.0 : 0.0).Should().Equal(lines);

            string bad = Path.Combine(dir, "mask12.npy");
            using (var t = TorchSharp.torch.ones(12, dtype: TorchSharp.torch.ScalarType.Float64)) Npy.Write(bad, t);
            var act = () => new MultiCoilMriOperator(new MultiCoilMriOptions { Height = 8, Width = 16, TotalLines = 16, Coils = 1, MaskFile = bad });
            act.Should().Throw<ArgumentException>().WithMessage("*mask12.npy*[12]*total_lines = 16*");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
