using InverseBench.Core.Configuration;
using InverseBench.Core.DependencyInjection;
using InverseBench.Core.Fluent;
using InverseBench.Operators.ImageRestoration;
using InverseBench.Operators.ImageRestoration.Data;
using InverseBench.Operators.ImageRestoration.Evaluation;
using Microsoft.Extensions.DependencyInjection;
using static TorchSharp.torch;

namespace InverseBench.Tests.Operators.ImageRestoration;

[TestFixture]
public sealed class ImageRestorationRegistrationTests
{
    private static ProblemFactory Factory(string name) =>
        ImageRestorationServiceCollectionExtensions.Factories.Single(f => f.Name == name);

    [Test]
    public void DeblurFactory_ReadsTheReferenceModelKeys_AndReportsTypos()
    {
        var section = new ConfigSection(new Dictionary<string, object?>
        {
            ["_target_"] = "inverse_problems.image_restore.GaussialBlur", ["sigma_noise"] = 0.1, ["intensity"] = 2, ["kernel_size"] = 21, ["resolution"] = 32,
        });
        section.Raw("_target_");
        using var op = (GaussianBlurOperator)Factory("ffhq256_deblur").CreateOperator(section, CPU);
        section.ThrowIfUnknownKeys();
        op.Name.Should().Be("ffhq256_deblur");
        op.SignalShape.Should().Equal(3, 32, 32);
        op.Noise.Sigma.Should().Be(0.1);
        op.Options.KernelSize.Should().Be(21);
        op.Options.Intensity.Should().Be(2);

        var typo = new ConfigSection(new Dictionary<string, object?> { ["kernelsize"] = 21, ["resolution"] = 32 });
        using var ignored = (IDisposable)Factory("ffhq256_deblur").CreateOperator(typo, CPU);
        var act = () => typo.ThrowIfUnknownKeys();
        act.Should().Throw<ArgumentException>().WithMessage("*kernelsize*");
    }

    [Test]
    public void InpaintFactory_ReadsTheMaskKeys()
    {
        var section = new ConfigSection(new Dictionary<string, object?>
        {
            ["sigma_noise"] = 0.05, ["mask_type"] = "random", ["mask_prob_range"] = new List<object?> { 0.3, 0.4 }, ["resolution"] = 16, ["mask_seed"] = 3,
        });
        using var op = (InpaintingOperator)Factory("ffhq256_inpaint").CreateOperator(section, CPU);
        section.ThrowIfUnknownKeys();
        op.Options.MaskType.Should().Be(InpaintingMaskType.Random);
        op.Options.MaskSeed.Should().Be(3u);
        using var scope = NewDisposeScope();
        double hidden = (op.Mask() == 0).sum().item<long>() / 256.0;
        hidden.Should().BeInRange(0.29, 0.41);
    }

    [Test]
    public void SrAndPrFactories_ReadTheirKeys()
    {
        using var sr = (SuperResolutionOperator)Factory("ffhq256_sr").CreateOperator(
            new ConfigSection(new Dictionary<string, object?> { ["in_resolution"] = 32, ["scale_factor"] = 4 }), CPU);
        sr.MeasurementShape.Should().Equal(3, 8, 8);
        using var pr = (PhaseRetrievalOperator)Factory("ffhq256_pr").CreateOperator(
            new ConfigSection(new Dictionary<string, object?> { ["resolution"] = 32, ["oversample"] = 1.0 }), CPU);
        pr.MeasurementShape.Should().Equal(3, 40, 40);
    }

    [Test]
    public void EveryFactory_ProvidesSyntheticPortraits_TheImageEvaluator_AndChecksTheDataAgainstTheOperator()
    {
        foreach (var factory in ImageRestorationServiceCollectionExtensions.Factories)
        {
            using var op = (IDisposable)factory.CreateOperator(new ConfigSection(new Dictionary<string, object?>
            {
                [factory.Name == "ffhq256_sr" ? "in_resolution" : "resolution"] = 32,
                ["kernel_size"] = 13, ["mask_len_range"] = new List<object?> { 4, 8 },
            }.Where(kv => factory.Name switch
            {
                "ffhq256_deblur" => kv.Key != "mask_len_range",
                "ffhq256_inpaint" => kv.Key != "kernel_size",
                _ => kv.Key is "resolution" or "in_resolution",
            })), CPU);
            var forward = (InverseBench.Core.Abstractions.IForwardOperator)op;
            var dataset = factory.CreateSyntheticDataset!(forward, 1, 2);
            dataset.Should().BeOfType<SyntheticPortraitDataset>().Which.Resolution.Should().Be(32);
            factory.CreateEvaluator!(forward).Should().BeOfType<ImageEvaluator>();
            string existing = Path.GetTempPath();
            var mismatch = () => factory.CreateDataset!(new ConfigSection(new Dictionary<string, object?> { ["root"] = existing, ["resolution"] = 256 }), forward);
            mismatch.Should().Throw<ArgumentException>().WithMessage("*resolution 256*[3, 32, 32]*");
            var absent = () => factory.CreateDataset!(new ConfigSection(new Dictionary<string, object?> { ["root"] = "no-such-folder", ["resolution"] = 256 }), forward);
            absent.Should().Throw<DirectoryNotFoundException>("absent data are reported first, so the CLI can fall back to synthetic images");
        }
    }

    [Test]
    public void AddImageRestoration_RegistersEveryProblemOnce()
    {
        var services = new ServiceCollection();
        services.AddInverseBench().AddImageRestoration().AddImageRestoration();
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        var names = provider.GetServices<ProblemFactory>().Select(f => f.Name).ToArray();
        names.Should().BeEquivalentTo(["ffhq256_deblur", "ffhq256_inpaint", "ffhq256_sr", "ffhq256_pr", "ffhq256_denoise"]);
        provider.GetRequiredService<IInverseBenchRegistry>().Names(ComponentKind.Problem).Should().Contain(names);
    }

    [Test]
    public void FluentCatalog_BuildsEachProblem_WithPortraitsAndTheEvaluator()
    {
        var problems = new InverseBenchContext(seed: 2).Problems;
        var selections = new[]
        {
            problems.GaussianDeblur(o => { o.Resolution = 16; o.KernelSize = 9; }),
            problems.Inpainting(o => { o.Resolution = 16; o.MaskLengthLow = 4; o.MaskLengthHigh = 8; }),
            problems.SuperResolution(o => { o.Resolution = 16; o.ScaleFactor = 4; }),
            problems.PhaseRetrieval(o => o.Resolution = 16),
            problems.Denoising(o => o.Resolution = 16),
        };
        foreach (var selection in selections)
        {
            selection.Operator.SignalShape.Should().Equal(3, 16, 16);
            selection.Dataset.Should().BeOfType<SyntheticPortraitDataset>();
            selection.Evaluator.Should().BeOfType<ImageEvaluator>();
            ((IDisposable)selection.Operator).Dispose();
        }

        var bad = () => problems.GaussianDeblur(o => o.KernelSize = 60);
        bad.Should().Throw<ArgumentException>().WithMessage("*KernelSize*odd*");
    }
}
