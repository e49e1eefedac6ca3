using InverseBench.Core.Abstractions;
using InverseBench.Core.Configuration;
using InverseBench.Core.DependencyInjection;
using InverseBench.Core.Fluent;
using InverseBench.Core.Priors;
using Microsoft.Extensions.DependencyInjection;
using static TorchSharp.torch;

namespace InverseBench.Tests.Core.Priors;

/// <summary>DI, config-driven, static-factory and fluent creation of the analytic priors.</summary>
[TestFixture]
public sealed class AnalyticPriorRegistrationTests
{
    private static ServiceProvider Provider()
    {
        var services = new ServiceCollection();
        services.AddInverseBench().AddAnalyticPriors().AddAnalyticPriors();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    [Test]
    public void Add_analytic_priors_registers_the_gaussian_field_factory_once_and_the_registry_creates_the_prior()
    {
        using var provider = Provider();
        provider.GetServices<PriorFactory>().Where(f => f.Name == "gaussian-field").Should().ContainSingle();
        var source = provider.GetRequiredService<IInverseBenchRegistry>().CreatePrior("gaussian-field");
        using var prior = source.Prior;
        prior.Should().BeOfType<GaussianFieldPrior>();
        prior.Resolution.Should().Be(64);
        prior.Channels.Should().Be(1);
        source.Provenance.Should().Contain("default settings");
    }

    [Test]
    public void Factory_reads_the_configuration_keys()
    {
        using var provider = Provider();
        var factory = provider.GetServices<PriorFactory>().Single(f => f.Name == "gaussian-field");
        var section = new ConfigSection(new Dictionary<string, object?>
        {
            ["alpha"] = 4.0, ["tau"] = "3", ["resolution"] = 16, ["channels"] = 2, ["sigma"] = 2.0, ["mean"] = 0.5,
        });
        var prior = (GaussianFieldPrior)factory.Create(section, null, CPU);
        prior.Resolution.Should().Be(16);
        prior.Channels.Should().Be(2);
        prior.Alpha.Should().Be(4);
        prior.Tau.Should().Be(3);
        prior.Amplitude.Should().Be(2);
        prior.Mean.Should().Be(0.5);
    }

    [Test]
    public void Factory_rejects_unknown_keys_and_checkpoints()
    {
        var unknown = new ConfigSection(new Dictionary<string, object?> { ["alpah"] = 4.0 });
        FluentActions.Invoking(() => AnalyticPriorRegistration.CreateGaussianField(unknown, null, CPU))
            .Should().Throw<ArgumentException>().WithMessage("*alpah*alpha*");
        FluentActions.Invoking(() => AnalyticPriorRegistration.CreateGaussianField(ConfigSection.Empty, "model.pt", CPU))
            .Should().Throw<ArgumentException>().WithMessage("*no checkpoint*");
    }

    [Test]
    public void Static_and_fluent_factories_build_the_priors()
    {
        using var scope = NewDisposeScope();
        InverseBench.Core.Priors.Priors.GaussianField(o => o.Resolution = 8).Resolution.Should().Be(8);
        var context = new InverseBenchContext(seed: 1);
        var field = context.Priors.GaussianField(o => { o.Resolution = 8; o.Channels = 3; });
        field.Channels.Should().Be(3);
        field.Device.type.Should().Be(context.Device.type);
        var gaussian = context.Priors.Gaussian(zeros(1, 2, 2), ones(1, 2, 2));
        gaussian.IsDiagonal.Should().BeTrue();
        context.Priors.GaussianDense(zeros(1, 2, 2), eye(4)).IsDiagonal.Should().BeFalse();
    }
}
