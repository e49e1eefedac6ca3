using InverseBench.Operators.Fwi;
using static TorchSharp.torch;
using Fixture = InverseBench.Tests.Operators.Fwi.FwiFixture;

namespace InverseBench.Tests.Operators.Fwi;

[TestFixture]
public sealed class FwiGeometryTests
{
    [TestCase(Fixture.Full)]
    [TestCase(Fixture.Reduced)]
    public void SourceAndReceiverPositions_MatchDevitoGeometry(string config)
    {
        var geometry = Fixture.Options(config).Geometry;
        using var scope = NewDisposeScope();
        var sources = Fixture.Load($"{config}_src_positions.npy");
        var receivers = Fixture.Load($"{config}_rec_positions.npy");
        AssertPositions(geometry.Sources, sources);
        AssertPositions(geometry.ReceiverPositions, receivers);
    }

    [Test]
    public void PaddedGridAndTimeAxis_MatchTheFullConfiguration()
    {
        var g = Fixture.Manifest.GetProperty("full_geometry");
        var geometry = Fixture.Options(Fixture.Full).Geometry;
        geometry.PaddedNx.Should().Be(g.GetProperty("padded_grid_shape_xz")[0].GetInt32());
        geometry.PaddedNz.Should().Be(g.GetProperty("padded_grid_shape_xz")[1].GetInt32());
        geometry.OriginX.Should().Be(g.GetProperty("grid_origin_xz_m")[0].GetDouble());
        geometry.OriginZ.Should().Be(g.GetProperty("grid_origin_xz_m")[1].GetDouble());
        geometry.TimeSteps.Should().Be(g.GetProperty("num_time_steps").GetInt32());
        geometry.FreeSurface.Should().Be(g.GetProperty("fs").GetBoolean());
    }

    [Test]
    public void ReducedTimeAxis_HasTheReferenceSampleCount()
    {
        Fixture.Options(Fixture.Reduced).Geometry.TimeSteps
            .Should().Be(Fixture.Manifest.GetProperty("reduced_observed").GetProperty("num_time_steps").GetInt32());
    }

    [Test]
    public void RickerWavelet_MatchesDevitoToFloat32Rounding()
    {
        using var scope = NewDisposeScope();
        var expected = Fixture.Load("full_ricker.npy").to(ScalarType.Float64);
        var actual = tensor(Fixture.Options(Fixture.Full).Geometry.Wavelet());
        actual.shape.Should().Equal(expected.shape);
        // The reference stores float32 samples of the same float64 formula: half an ulp of the peak amplitude 1.
        Fixture.MaxAbs(actual - expected).Should().BeLessThan(6e-8);
    }

    [Test]
    public void DampingProfiles_MatchDevitoToFloat32Rounding()
    {
        var geometry = Fixture.Options(Fixture.Full).Geometry;
        using var scope = NewDisposeScope();
        var x = Fixture.Load("full_damp_profile_x.npy").to(ScalarType.Float64);
        var z = Fixture.Load("full_damp_profile_z.npy").to(ScalarType.Float64);
        var dx = tensor(geometry.DampingProfileX());
        var dz = tensor(geometry.DampingProfileZ());
        // float32 evaluation in devito: a few ulps of the largest value.
        Fixture.MaxAbs(dx - x).Should().BeLessThan(4 * 1.2e-7 * Fixture.MaxAbs(x));
        Fixture.MaxAbs(dz - z).Should().BeLessThan(4 * 1.2e-7 * Fixture.MaxAbs(z));
        double damp = Fixture.Manifest.GetProperty("full_geometry").GetProperty("damp_max").GetDouble();
        geometry.DampingField().Max().Should().BeApproximately(damp, 4 * 1.2e-7 * damp);
    }

    [Test]
    public void CflBound_AdmitsTheDatasetVelocities_AndFollowsTheVonNeumannFormula()
    {
        var geometry = Fixture.Options(Fixture.Full).Geometry;
        double expected = 2.0 / (geometry.Dt * Math.Sqrt(16.0 / 3 * (1 / (geometry.SpacingX * geometry.SpacingX) + 1 / (geometry.SpacingZ * geometry.SpacingZ))));
        geometry.MaxStableVelocity.Should().BeApproximately(expected, 1e-12);
        geometry.MaxStableVelocity.Should().BeGreaterThan(4.5, "OpenFWI velocities reach 4.5 km/s");
    }

    [Test]
    public void BilinearTaps_SumToOne_AndReproduceGridNodes()
    {
        var geometry = new FwiOptions { Nx = 16, Nz = 12, Nbl = 4, Shots = 2, Receivers = 5, SourceDepth = 110 }.Geometry;
        var taps = geometry.Taps([(0.0, 0.0), (37.5, 17.5), (300.0, 110.0)]);
        for (int p = 0; p < 3; p++) taps.Weight.Skip(4 * p).Take(4).Sum().Should().BeApproximately(1.0, 1e-15);
        // (0, 0) lies on the node of padded column nbl, row 0: all weight on the base node.
        taps.BaseIndex[0].Should().Be(geometry.Nbl);
        taps.Weight[0].Should().Be(1.0);
        // (37.5 m, 17.5 m) with dx = 20, dz = 10: φx = 0.875, φz = 0.75.
        taps.Weight.Skip(4).Take(4).Should().Equal(new[] { 0.25 * 0.125, 0.25 * 0.875, 0.75 * 0.125, 0.75 * 0.875 },
            (a, b) => Math.Abs(a - b) < 1e-12);
    }

    private static void AssertPositions(IReadOnlyList<(double X, double Z)> actual, Tensor expected)
    {
        actual.Count.Should().Be((int)expected.shape[0]);
        var data = expected.data<double>().ToArray();
        for (int i = 0; i < actual.Count; i++)
        {
            actual[i].X.Should().BeApproximately(data[2 * i], 1e-9);
            actual[i].Z.Should().BeApproximately(data[2 * i + 1], 1e-9);
        }
    }
}
