using InverseBench.Core.Configuration;
using InverseBench.Core.DependencyInjection;
using InverseBench.Core.Fluent;
using InverseBench.Evaluation.InverseScattering;
using InverseBench.Operators.InverseScattering;
using InverseBench.Operators.InverseScattering.Data;
using Microsoft.Extensions.DependencyInjection;
using static TorchSharp.torch;

namespace InverseBench.Tests.Operators.InverseScattering;

[TestFixture]
public sealed class InverseScatteringRegistrationTests
{
    private static Dictionary<string, object?> SmallModel() => new()
    {
        ["Lx"] = 0.0225, ["Ly"] = 0.0225, ["Nx"] = 16, ["Ny"] = 16, ["wave"] = 6, ["numRec"] = "60", ["numTrans"] = 5,
        ["sensorRadius"] = 1.6, ["sigma_noise"] = 0.0001, ["unnorm_shift"] = 1.0, ["unnorm_scale"] = 0.5,
    };

    [Test]
    public void Factory_ReadsTheReferenceModelKeys()
    {
        var section = new ConfigSection(SmallModel());
        using var op = (InverseScatteringOperator)InverseScatteringServiceCollectionExtensions.Factory.CreateOperator(section, CPU);
        section.ThrowIfUnknownKeys();
        op.Name.Should().Be("inv-scatter");
        op.SignalShape.Should().Equal(1, 16, 16);
        op.MeasurementShape.Should().Equal(5, 60);
        op.Noise.Sigma.Should().Be(1e-4);
        op.UnnormShift.Should().Be(1.0);
        op.UnnormScale.Should().Be(0.5);
        op.Geometry.Dx.Should().BeApproximately(0.00140625, 1e-18);

        var typo = new ConfigSection(new Dictionary<string, object?>(SmallModel()) { ["numRecs"] = 180 });
        using var ignored = (InverseScatteringOperator)InverseScatteringServiceCollectionExtensions.Factory.CreateOperator(typo, CPU);
        var act = () => typo.ThrowIfUnknownKeys();
        act.Should().Throw<ArgumentException>().WithMessage("*numRecs*");
    }

    [Test]
    public void Factory_ProvidesSyntheticPhantomsAndTheEvaluator()
    {
        using var op = (InverseScatteringOperator)InverseScatteringServiceCollectionExtensions.Factory.CreateOperator(new ConfigSection(SmallModel()), CPU);
        var dataset = InverseScatteringServiceCollectionExtensions.Factory.CreateSyntheticDataset!(op, 4, 3);
        dataset.Should().BeOfType<SyntheticCellPhantomDataset>();
        dataset.Count.Should().Be(3);
        using var target = dataset.GetTarget(0);
        target.shape.Should().Equal(1, 1, 16, 16);
        InverseScatteringServiceCollectionExtensions.Factory.CreateEvaluator!(op).Should().BeOfType<InverseScatteringEvaluator>();
    }

    [Test]
    public void AddInverseScattering_RegistersTheProblemOnce_ByItsReferenceName()
    {
        var services = new ServiceCollection();
        services.AddInverseBench().AddInverseScattering().AddInverseScattering();
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        provider.GetServices<ProblemFactory>().Should().ContainSingle(f => f.Name == "inv-scatter");
        var registry = provider.GetRequiredService<IInverseBenchRegistry>();
        registry.Names(ComponentKind.Problem).Should().Contain("inv-scatter");
        using var op = new InverseScatteringOperator(new InverseScatteringOptions { Nx = 8, Ny = 8, Receivers = 6, Transmitters = 2 });
        registry.CreateEvaluator("inv-scatter", op).Should().BeOfType<InverseScatteringEvaluator>();
    }

    [Test]
    public void FluentCatalog_BuildsTheConfiguredOperator_WithPhantomsAndEvaluator()
    {
        var selection = new InverseBenchContext(seed: 3).Problems.InverseScattering(o =>
        {
            o.Nx = o.Ny = 16;
            o.Lx = o.Ly = 0.0225;
            o.Receivers = 180;
            o.Transmitters = 4;
        });
        using var op = (InverseScatteringOperator)selection.Operator;
        op.MeasurementShape.Should().Equal(4, 180);
        selection.Dataset.Should().BeOfType<SyntheticCellPhantomDataset>().Which.Resolution.Should().Be(16);
        selection.Evaluator.Should().BeOfType<InverseScatteringEvaluator>();
        var bad = () => new InverseBenchContext().Problems.InverseScattering(o => o.SensorRadius = 0.01);
        bad.Should().Throw<ArgumentException>().WithMessage("*SensorRadius*");
    }
}
