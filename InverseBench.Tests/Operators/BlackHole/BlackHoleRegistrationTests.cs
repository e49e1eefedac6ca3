using InverseBench.Core.Configuration;
using InverseBench.Core.DependencyInjection;
using InverseBench.Core.Fluent;
using InverseBench.Operators.BlackHole;
using InverseBench.Operators.BlackHole.Data;
using InverseBench.Operators.BlackHole.Evaluation;
using InverseBench.Tests.TestUtilities;
using Microsoft.Extensions.DependencyInjection;
using static TorchSharp.torch;

namespace InverseBench.Tests.Operators.BlackHole;

[TestFixture]
public sealed class BlackHoleRegistrationTests
{
    private static Dictionary<string, object?> SmallModel() => new()
    {
        ["root"] = "does/not/exist", ["imsize"] = 16, ["observation_time_ratio"] = 1.0, ["noise_type"] = "vis_thermal",
        ["w1"] = 0, ["w2"] = 1, ["w3"] = 1, ["w4"] = 0.5, ["sigma_noise"] = 0.0, ["unnorm_scale"] = 0.5, ["unnorm_shift"] = 1.0,
        ["ttype"] = "nfft", ["synthetic_stations"] = new[] { "ALMA", "APEX", "LMT", "SMA" }, ["synthetic_scan_interval"] = 3600,
    };

    [Test]
    public void Factory_ReadsTheReferenceModelKeys_AndFallsBackToTheSyntheticObservation()
    {
        var section = new ConfigSection(SmallModel());
        using var op = (BlackHoleOperator)BlackHoleServiceCollectionExtensions.Factory.CreateOperator(section, CPU);
        section.ThrowIfUnknownKeys();
        op.Name.Should().Be("blackhole");
        op.SignalShape.Should().Equal(1, 16, 16);
        op.Options.NoiseType.Should().Be(BlackHoleNoiseType.VisThermal);
        op.Setup.Observation.Stations.Select(s => s.Site).Should().Equal("ALMA", "LMT", "APEX", "SMA");
        op.WeightClosurePhase.Should().Be(op.ClosurePhaseCount);
        op.WeightFlux.Should().Be(0.5);
    }

    [Test]
    public void Factory_ReadsTheFixtureFolder()
    {
        var values = SmallModel();
        values["root"] = TestFixtures.Folder(BlackHoleFixture.Folder);
        values["imsize"] = BlackHoleFixture.ImageSize;
        using var op = (BlackHoleOperator)BlackHoleServiceCollectionExtensions.Factory.CreateOperator(new ConfigSection(values), CPU);
        op.AmplitudeCount.Should().Be(BlackHoleFixture.Manifest.GetProperty("dims").GetProperty("M_vis").GetInt32());
        op.MeasurementLength.Should().Be(BlackHoleFixture.Manifest.GetProperty("dims").GetProperty("y_length").GetInt32());
    }

    [Test]
    public void Factory_RejectsAnUnknownTransformType()
    {
        var values = SmallModel();
        values["ttype"] = "fft";
        var act = () => BlackHoleServiceCollectionExtensions.Factory.CreateOperator(new ConfigSection(values), CPU);
        act.Should().Throw<FormatException>().WithMessage("*ttype*nfft, direct, fast*fft*");
    }

    [Test]
    public void Factory_ProvidesSyntheticImagesAndTheEvaluator()
    {
        using var op = (BlackHoleOperator)BlackHoleServiceCollectionExtensions.Factory.CreateOperator(new ConfigSection(SmallModel()), CPU);
        var dataset = BlackHoleServiceCollectionExtensions.Factory.CreateSyntheticDataset!(op, 4, 3);
        dataset.Should().BeOfType<SyntheticBlackHoleDataset>();
        dataset.Count.Should().Be(3);
        using var target = dataset.GetTarget(0);
        target.shape.Should().Equal(1, 1, 16, 16);
        target.max().item<float>().Should().Be(1f);
        target.min().item<float>().Should().BeGreaterThanOrEqualTo(-1f);
        BlackHoleServiceCollectionExtensions.Factory.CreateEvaluator!(op).Should().BeOfType<BlackHoleEvaluator>();
    }

    [Test]
    public void AddBlackHole_RegistersTheProblemOnce_ByItsReferenceName()
    {
        var services = new ServiceCollection();
        services.AddInverseBench().AddBlackHole().AddBlackHole();
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        provider.GetServices<ProblemFactory>().Should().ContainSingle(f => f.Name == "blackhole");
        provider.GetRequiredService<IInverseBenchRegistry>().Names(ComponentKind.Problem).Should().Contain("blackhole");
    }

    [Test]
    public void FluentCatalog_BuildsTheConfiguredOperator_WithSyntheticImagesAndEvaluator()
    {
        var selection = new InverseBenchContext(seed: 3).Problems.BlackHole(o =>
        {
            o.Root = null;
            o.ImageSize = 16;
            o.SyntheticStations = ["ALMA", "APEX", "LMT", "SMA", "SMT"];
            o.SyntheticScanIntervalSeconds = 3600;
        });
        using var op = (BlackHoleOperator)selection.Operator;
        op.SignalShape.Should().Equal(1, 16, 16);
        selection.Dataset.Should().BeOfType<SyntheticBlackHoleDataset>().Which.Resolution.Should().Be(16);
        selection.Evaluator.Should().BeOfType<BlackHoleEvaluator>();
        var bad = () => new InverseBenchContext().Problems.BlackHole(o => o.ImageSize = 2);
        bad.Should().Throw<ArgumentException>().WithMessage("*ImageSize*");
    }
}
