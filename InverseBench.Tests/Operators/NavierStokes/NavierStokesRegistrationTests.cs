using InverseBench.Core.Configuration;
using InverseBench.Core.DependencyInjection;
using InverseBench.Core.Fluent;
using InverseBench.Core.IO.Lmdb;
using InverseBench.Evaluation.NavierStokes;
using InverseBench.Operators.NavierStokes;
using InverseBench.Operators.NavierStokes.Data;
using InverseBench.Operators.NavierStokes.Functional;
using InverseBench.Tests.TestUtilities;
using Microsoft.Extensions.DependencyInjection;
using static TorchSharp.torch;

namespace InverseBench.Tests.Operators.NavierStokes;

[TestFixture]
public sealed class NavierStokesRegistrationTests
{
    private static ServiceProvider Provider()
    {
        var services = new ServiceCollection();
        services.AddInverseBench().AddNavierStokes().AddNavierStokes();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    [Test]
    public void ResolvesTheProblemByNameThroughDependencyInjection()
    {
        using var provider = Provider();
        var registry = provider.GetRequiredService<IInverseBenchRegistry>();
        registry.Names(ComponentKind.Problem).Should().Equal("navier-stokes");
        using var created = registry.CreateOperator("navier-stokes");
        var op = created.Should().BeOfType<NavierStokesOperator>().Subject;
        op.Options.Resolution.Should().Be(128);
        op.MeasurementShape.Should().Equal(1, 64, 64);
        registry.CreateEvaluator("navier-stokes", op).Should().BeOfType<NavierStokesEvaluator>();
        provider.GetServices<ProblemFactory>().Should().ContainSingle(f => f.Name == "navier-stokes");
    }

    [Test]
    public void FactoryReadsTheReferenceModelKeysAndReportsUnknownOnes()
    {
        var model = new ConfigSection(new Dictionary<string, object?>
        {
            ["_target_"] = "inverse_problems.navier_stokes.ForwardNavierStokes2d",
            ["forward_time"] = "0.5", ["Re"] = 100.0, ["resolution"] = 32, ["downsample_factor"] = 4, ["sigma_noise"] = 0.1,
            ["unnorm_scale"] = 5.0, ["adaptive"] = "False", ["delta_t"] = 0.004, ["dtype"] = "torch.float64",
            ["time_step_mode"] = "shared_across_batch",
        }, "problem.model");
        using var op = (NavierStokesOperator)NavierStokesServiceCollectionExtensions.Factory.CreateOperator(model, CPU);
        model.ThrowIfUnknownKeys();
        op.Options.ForwardTime.Should().Be(0.5);
        op.Options.Reynolds.Should().Be(100);
        op.Options.Resolution.Should().Be(32);
        op.MeasurementShape.Should().Equal(1, 8, 8);
        op.Noise.Sigma.Should().Be(0.1);
        op.UnnormScale.Should().Be(5);
        op.Options.Adaptive.Should().BeFalse();
        op.Options.DeltaT.Should().Be(0.004);
        op.MeasurementType.Should().Be(ScalarType.Float64);
        op.Options.TimeStepMode.Should().Be(TimeStepMode.SharedAcrossBatch);

        var typo = new ConfigSection(new Dictionary<string, object?> { ["reynolds"] = 3 }, "problem.model");
        NavierStokesServiceCollectionExtensions.Factory.CreateOperator(typo, CPU).Should().NotBeNull();
        var act = () => typo.ThrowIfUnknownKeys();
        act.Should().Throw<ArgumentException>().WithMessage("*problem.model.reynolds*");
    }

    [Test]
    public void FactoryBuildsTheLmdbDatasetFromTheDataKeys()
    {
        string root = TestFixtures.FilePath("data", "navier_stokes_lmdb");
        var data = new ConfigSection(new Dictionary<string, object?>
        {
            ["root"] = root, ["resolution"] = 32, ["std"] = 5.0, ["id_list"] = "1-3",
        }, "problem.data");
        using var op = new NavierStokesOperator(new NavierStokesOptions { Resolution = 32 });
        var ds = NavierStokesServiceCollectionExtensions.Factory.CreateDataset!(data, op);
        data.ThrowIfUnknownKeys();
        ds.Count.Should().Be(3);
        ds.GetId(0).Should().Be("1");
        ((LmdbDataset)ds).Dispose();

        var list = new ConfigSection(new Dictionary<string, object?> { ["root"] = root, ["resolution"] = 32, ["id_list"] = new List<object?> { 0, 4 } });
        using var ds2 = (LmdbDataset)NavierStokesServiceCollectionExtensions.Factory.CreateDataset!(list, op);
        ds2.Ids.Should().Equal(0, 4);
    }

    [Test]
    public void FactoryDrawsSeededSyntheticData()
    {
        using var op = new NavierStokesOperator(new NavierStokesOptions { Resolution = 16 });
        using var ds = (SyntheticNavierStokesDataset)NavierStokesServiceCollectionExtensions.Factory.CreateSyntheticDataset!(op, 3, 2);
        ds.Count.Should().Be(2);
        ds.Options.Std.Should().Be(5);
        using var t = ds.GetTarget(0);
        t.shape.Should().Equal(1, 1, 16, 16);
    }

    [Test]
    public void FluentCatalogBuildsTheProblem()
    {
        var context = new InverseBenchContext(seed: 0);
        var selection = context.Problems.NavierStokes(o => { o.Resolution = 32; o.DownsampleFactor = 4; });
        selection.Operator.Name.Should().Be("navier-stokes");
        selection.Operator.MeasurementShape.Should().Equal(1, 8, 8);
        selection.Evaluator.Should().BeOfType<NavierStokesEvaluator>();
        ((IDisposable)selection.Operator).Dispose();
    }
}
