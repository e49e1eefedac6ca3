using InverseBench.Core.Configuration;
using InverseBench.Core.DependencyInjection;
using InverseBench.Core.Fluent;
using InverseBench.Operators.Mri;
using InverseBench.Operators.Mri.Baselines;
using InverseBench.Operators.Mri.Data;
using InverseBench.Operators.Mri.Evaluation;
using Microsoft.Extensions.DependencyInjection;
using static TorchSharp.torch;

namespace InverseBench.Tests.Operators.Mri;

/// <summary>Config keys, DI registration and the fluent catalog of the MRI problems.</summary>
[TestFixture]
public sealed class MriRegistrationTests
{
    private static Dictionary<string, object?> SmallModel() => new()
    {
        ["_target_"] = "inverse_problems.multi_coil_mri.MultiCoilMRI", ["sigma_noise"] = 0.0, ["total_lines"] = 24,
        ["acceleration_ratio"] = 4, ["pattern"] = "equispaced", ["mask_seed"] = 3, ["image_size"] = "[16, 24]", ["num_coils"] = 2,
    };

    [Test]
    public void KneeFactory_ReadsTheReferenceModelKeys_AndReportsTypos()
    {
        var section = new ConfigSection(SmallModel());
        using var op = (MultiCoilMriOperator)MriServiceCollectionExtensions.KneeFactory.CreateOperator(section, CPU);
        section.ThrowIfUnknownKeys();
        op.SignalShape.Should().Equal(2, 16, 24);
        op.MeasurementShape.Should().Equal(2, 16, 24, 2);
        op.Options.Pattern.Should().Be(MaskPattern.Equispaced);
        op.Options.MaskSeed.Should().Be(3u);
        op.MaskLines.Count(b => b).Should().Be(7);    // ACS floor(0.08·24) = 1 line; 23 outer lines [::4] = 6 more

        var typo = new ConfigSection(new Dictionary<string, object?>(SmallModel()) { ["acceleration"] = 8 });
        using var ignored = MriServiceCollectionExtensions.KneeFactory.CreateOperator(typo, CPU) as IDisposable;
        typo.Invoking(t => t.ThrowIfUnknownKeys()).Should().Throw<ArgumentException>().WithMessage("*acceleration*");
    }

    [Test]
    public void Factories_ProvideBoundSyntheticPhantomsAndTheEvaluator()
    {
        foreach (var factory in new[] { MriServiceCollectionExtensions.KneeFactory, MriServiceCollectionExtensions.BrainFactory, MriServiceCollectionExtensions.KneeLmdbFactory })
        {
            using var op = (MultiCoilMriOperator)factory.CreateOperator(new ConfigSection(SmallModel()), CPU);
            var dataset = factory.CreateSyntheticDataset!(op, 1, 2);
            dataset.Should().BeOfType<SyntheticBrainPhantomDataset>().Which.Count.Should().Be(2);
            using var target = dataset.GetTarget(1);
            target.shape.Should().Equal(1, 2, 16, 24);
            factory.CreateEvaluator!(op).Should().BeOfType<MriEvaluator>().Which.Metrics.Should().HaveCount(3);
        }
    }

    [Test]
    public void BrainFactory_DefaultsTo16Coils_KneeTo15()
    {
        using var brain = (MultiCoilMriOperator)MriServiceCollectionExtensions.BrainFactory.CreateOperator(new ConfigSection(new Dictionary<string, object?> { ["image_size"] = "[16, 16]", ["total_lines"] = 16 }), CPU);
        using var knee = (MultiCoilMriOperator)MriServiceCollectionExtensions.KneeFactory.CreateOperator(new ConfigSection(new Dictionary<string, object?> { ["image_size"] = "[16, 16]", ["total_lines"] = 16 }), CPU);
        brain.Coils.Should().Be(16);
        knee.Coils.Should().Be(15);
    }

    [Test]
    public void AddMri_RegistersTheThreeProblemsOnce_ByTheirReferenceNames()
    {
        var services = new ServiceCollection();
        services.AddInverseBench().AddMri().AddMri();
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        var names = provider.GetServices<ProblemFactory>().Select(f => f.Name).ToList();
        names.Should().BeEquivalentTo(["multi-coil-mri-knee", "multi-coil-mri-brain", "multi-coil-mri-knee-lmdb"]);
        provider.GetRequiredService<IInverseBenchRegistry>().Names(ComponentKind.Problem).Should().Contain(names);
    }

    [Test]
    public void FluentCatalog_BuildsTheConfiguredOperator_WithPhantomsAndEvaluator()
    {
        var selection = new InverseBenchContext(seed: 2).Problems.MultiCoilMri(o =>
        {
            o.Height = o.Width = o.TotalLines = 16;
            o.Coils = 2;
        });
        using var op = (MultiCoilMriOperator)selection.Operator;
        op.MeasurementShape.Should().Equal(2, 16, 16, 2);
        selection.Dataset.Should().BeOfType<SyntheticBrainPhantomDataset>();
        selection.Evaluator.Should().BeOfType<MriEvaluator>();
        var bad = () => new InverseBenchContext().Problems.MultiCoilMri(o => o.Coils = 0);
        bad.Should().Throw<ArgumentException>().WithMessage("*Coils must be at least 1*");
    }
}

/// <summary>A whole fluent run on the MRI problem with a baseline solver.</summary>
[TestFixture]
public sealed class MriFluentRunTests
{
    [Test]
    public void FluentRun_WithCsMri_ReconstructsAndScoresASyntheticSample()
    {
        using var run = InverseBenchRun.Create(seed: 1)
            .Problem(p => p.MultiCoilMri(o =>
            {
                o.Height = o.Width = o.TotalLines = 32;
                o.Coils = 3;
            }))
            .Solver(s => s.CsMri(o => o.Iterations = 20))
            .Samples([0])
            .Build();
        var report = run.Execute();
        report.Samples.Should().ContainSingle();
        var sample = report.Samples[0];
        sample.Reconstruction.shape.Should().Equal(1, 2, 32, 32);
        sample.Metrics.Keys.Should().Contain(["psnr", "ssim", "data misfit"]);
        sample.Metrics["psnr"].Should().BeGreaterThan(15);
    }
}
