using InverseBench.Core.Configuration;
using InverseBench.Core.DependencyInjection;
using InverseBench.Core.Fluent;
using InverseBench.Operators.Fwi;
using InverseBench.Operators.Fwi.Data;
using InverseBench.Operators.Fwi.Evaluation;
using Microsoft.Extensions.DependencyInjection;
using static TorchSharp.torch;

namespace InverseBench.Tests.Operators.Fwi;

[TestFixture]
public sealed class FwiRegistrationTests
{
    private static Dictionary<string, object?> SmallModel() => new()
    {
        ["_target_"] = "inverse_problems.acoustic.AcousticWave", ["shape"] = new object[] { 24, 16 }, ["spacing"] = new object[] { 20.0, 10.0 },
        ["tn"] = 150.0, ["f0"] = 0.025, ["dt"] = 1.0, ["nbl"] = 8, ["nshots"] = 2, ["nreceivers"] = 7, ["unnorm_scale"] = 1.0,
        ["unnorm_shift"] = 3.0, ["src_depth"] = 150.0, ["padding"] = "reference", ["dtype"] = "float64", ["checkpoint_interval"] = 5,
    };

    [Test]
    public void Factory_ReadsTheReferenceModelKeys()
    {
        var section = new ConfigSection(SmallModel());
        using var op = (FwiOperator)FwiServiceCollectionExtensions.Factory.CreateOperator(section, CPU);
        section.ThrowIfUnknownKeys();
        op.Name.Should().Be("fwi");
        op.SignalShape.Should().Equal(1, 16, 24);
        op.MeasurementShape.Should().Equal(2, 151, 7);
        op.MeasurementType.Should().Be(ScalarType.Float64);
        op.UnnormShift.Should().Be(3.0);
        var options = op.Options;
        options.Padding.Should().Be(FwiPadding.ReferenceConstant);
        options.CheckpointInterval.Should().Be(5);
        options.FreeSurface.Should().BeTrue();
        options.ReceiverDepth.Should().Be(10.0);

        var typo = new ConfigSection(new Dictionary<string, object?>(SmallModel()) { ["nshot"] = 4 });
        using var ignored = (FwiOperator)FwiServiceCollectionExtensions.Factory.CreateOperator(typo, CPU);
        var act = () => typo.ThrowIfUnknownKeys();
        act.Should().Throw<ArgumentException>().WithMessage("*nshot*");
    }

    [TestCase("bcs", "mask", "*only 'damp'*")]
    [TestCase("space_order", 8, "*only space order 4*")]
    [TestCase("padding", "mirror", "*padding' must be 'edge' or 'reference'*")]
    [TestCase("dtype", "float16", "*dtype' must be float32 or float64*")]
    public void Factory_RejectsUnsupportedSettings_NamingTheKey(string key, object value, string message)
    {
        var section = new ConfigSection(new Dictionary<string, object?>(SmallModel()) { [key] = value });
        var act = () => FwiServiceCollectionExtensions.Factory.CreateOperator(section, CPU);
        act.Should().Throw<Exception>().WithMessage(message);
    }

    [Test]
    public void DatasetOptions_DefaultToTheReferenceTestSet()
    {
        var options = FwiServiceCollectionExtensions.DatasetOptions(ConfigSection.Empty);
        options.Root.Should().Be("../data/fwi-test");
        options.Resolution.Should().Be(128);
        options.RawResolution.Should().Be(70);
        options.Mean.Should().Be(3000.0);
        options.Std.Should().Be(500.0);
    }

    [Test]
    public void Factory_ProvidesSyntheticVelocitiesAndTheEvaluator()
    {
        using var op = (FwiOperator)FwiServiceCollectionExtensions.Factory.CreateOperator(new ConfigSection(SmallModel()), CPU);
        var dataset = FwiServiceCollectionExtensions.Factory.CreateSyntheticDataset!(op, 4, 3);
        dataset.Should().BeOfType<SyntheticVelocityDataset>();
        dataset.Count.Should().Be(3);
        using var target = dataset.GetTarget(0);
        target.shape.Should().Equal(1, 1, 16, 24);
        FwiServiceCollectionExtensions.Factory.CreateEvaluator!(op).Should().BeOfType<FwiEvaluator>();
    }

    [Test]
    public void AddFwi_RegistersTheProblemOnce_ByItsReferenceName()
    {
        var services = new ServiceCollection();
        services.AddInverseBench().AddFwi().AddFwi();
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        provider.GetServices<ProblemFactory>().Should().ContainSingle(f => f.Name == "fwi");
        var registry = provider.GetRequiredService<IInverseBenchRegistry>();
        registry.Names(ComponentKind.Problem).Should().Contain("fwi");
        using var op = registry.CreateOperator("fwi");
        registry.CreateEvaluator("fwi", op).Should().BeOfType<FwiEvaluator>();
    }

    [Test]
    public void FluentCatalog_BuildsTheConfiguredOperator_WithSyntheticModelsAndEvaluator()
    {
        var selection = new InverseBenchContext(seed: 3).Problems.Fwi(o =>
        {
            o.Nx = 24;
            o.Nz = 16;
            o.Nbl = 8;
            o.Shots = 3;
            o.Tn = 100;
            o.SourceDepth = 150;
        });
        using var op = (FwiOperator)selection.Operator;
        op.MeasurementShape.Should().Equal(3, 101, 129);
        selection.Dataset.Should().BeOfType<SyntheticVelocityDataset>().Which.Nx.Should().Be(24);
        selection.Evaluator.Should().BeOfType<FwiEvaluator>();
        var bad = () => new InverseBenchContext().Problems.Fwi(o => o.SourceDepth = -5);
        bad.Should().Throw<ArgumentException>().WithMessage("*SourceDepth*");
    }
}
