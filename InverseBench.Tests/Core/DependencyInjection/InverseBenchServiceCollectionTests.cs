using InverseBench.Core.Abstractions;
using InverseBench.Core.Configuration;
using InverseBench.Core.DependencyInjection;
using InverseBench.Tests.Core.Fakes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace InverseBench.Tests.Core.DependencyInjection;

public sealed class InverseBenchServiceCollectionTests
{
    private static ServiceProvider BuildProvider(Action<IInverseBenchBuilder>? extra = null, IConfiguration? configuration = null)
    {
        var services = new ServiceCollection();
        if (configuration is not null) services.AddSingleton(configuration);
        var builder = services.AddInverseBench()
            .AddProblem("toy-mask", _ => new MaskOperator(noise: 0.01), _ => ListDataset.Random(2), (_, _) => new MseEvaluator())
            .AddPrior("toy-gaussian", _ => new IsotropicGaussianPrior())
            .AddSolver("toy-wiener", _ => new WienerSolver(new WienerOptions()));
        extra?.Invoke(builder);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    [Test]
    public void RunFactory_BuildsARunFromRegisteredNames_WithThePerRunSeed_AndItProducesMetrics()
    {
        using var provider = BuildProvider();
        using var run = provider.GetRequiredService<IRunFactory>().Create(new RunRequest("toy-mask", "toy-wiener", "toy-gaussian") { Seed = 5 });
        run.Seed.Should().Be(5);
        using var report = run.Execute();
        report.Samples.Should().HaveCount(2);
        report.Aggregate.Should().ContainKey("mse");
    }

    [Test]
    public void RunFactory_GivesEachRunItsOwnComponents_AndTheRunDisposesThem()
    {
        using var provider = BuildProvider();
        var factory = provider.GetRequiredService<IRunFactory>();
        var a = factory.Create("toy-mask", "toy-wiener", "toy-gaussian");
        using var b = factory.Create("toy-mask", "toy-wiener", "toy-gaussian");
        a.Operator.Should().NotBeSameAs(b.Operator, "operators hold native tensors: never container singletons");
        var mask = ((MaskOperator)a.Operator).Mask;
        a.Dispose();
        mask.IsInvalid.Should().BeTrue("the run created the operator, so it disposed it");
        ((MaskOperator)b.Operator).Mask.IsInvalid.Should().BeFalse();
    }

    [Test]
    public void Registry_ListsWhatIsRegisteredOnAMiss()
    {
        using var provider = BuildProvider();
        var registry = provider.GetRequiredService<IInverseBenchRegistry>();
        using var op = registry.CreateOperator("toy-mask");
        op.Should().BeOfType<MaskOperator>();
        registry.CreateSolver("toy-wiener").Should().NotBeSameAs(registry.CreateSolver("toy-wiener"), "each call creates a solver");
        registry.Names(ComponentKind.Problem).Should().Equal("toy-mask");

        var act = () => registry.CreateSolver("daps");
        act.Should().Throw<KeyNotFoundException>()
            .WithMessage("No solver named 'daps' is registered. Registered: toy-wiener. To add one, register solvers with AddInverseBench().AddSolvers() or AddSolver(name, ...).");
    }

    [Test]
    public void RepeatedRegistration_IsHarmless_AndTheFirstWins()
    {
        using var provider = BuildProvider(b =>
        {
            b.Services.AddInverseBench();
            b.AddSolver("toy-wiener", _ => throw new InvalidOperationException("second registration must not be used"));
        });
        var registry = provider.GetRequiredService<IInverseBenchRegistry>();
        registry.Names(ComponentKind.Solver).Should().Equal("toy-wiener");
        registry.CreateSolver("toy-wiener").Should().BeOfType<WienerSolver>();
    }

    [Test]
    public void SolverFactories_ReadTheirMethodKeysFromIConfiguration_AndRejectUnknownOnes()
    {
        var factory = new SolverFactory("toy-configured",
            section => new WienerSolver(new WienerOptions { Steps = section.Get("num_steps", 3) }),
            SolverRequirements.Of(SolverCapability.Linear).WithPrior());
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["InverseBench:Solvers:toy-configured:num_steps"] = "7",
        }).Build();
        using var provider = BuildProvider(b => b.AddSolverFactory(factory).AddSolverFactory(factory), configuration);
        provider.GetServices<SolverFactory>().Where(f => f.Name == "toy-configured").Should().ContainSingle();
        var solver = (WienerSolver)provider.GetRequiredService<IInverseBenchRegistry>().CreateSolver("toy-configured");
        solver.Options.Steps.Should().Be(7);

        var typo = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["InverseBench:Solvers:toy-configured:num_stepz"] = "7",
        }).Build();
        using var bad = BuildProvider(b => b.AddSolverFactory(factory), typo);
        var act = () => bad.GetRequiredService<IInverseBenchRegistry>().CreateSolver("toy-configured");
        act.Should().Throw<ArgumentException>().WithMessage("*num_stepz (did you mean 'InverseBench:Solvers:toy-configured.num_steps'?)*");
    }

    [Test]
    public void Options_BindFromIConfiguration_AndCodeConfigurationWins()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["InverseBench:Device"] = "auto",
            ["InverseBench:AllowSyntheticData"] = "false",
        }).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        services.AddInverseBench(o => o.Device = "cpu");
        using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<InverseBenchOptions>>().Value;
        options.Device.Should().Be("cpu");
        options.AllowSyntheticData.Should().BeFalse();
    }

    [Test]
    public void InvalidOptions_FailValidation()
    {
        var services = new ServiceCollection();
        services.AddInverseBench(o => o.Device = "gpu0");
        using var provider = services.BuildServiceProvider();
        var act = () => provider.GetRequiredService<IOptions<InverseBenchOptions>>().Value;
        act.Should().Throw<OptionsValidationException>().WithMessage("*Device must be*");
    }

    [Test]
    public void PrecisionOption_BindsFromIConfiguration_AndReachesNetworkPriors()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["InverseBench:Precision"] = "bf16",
        }).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        services.AddInverseBench().AddPrior("tiny-network", _ => InverseBench.Tests.Core.Diffusion.Preconditioning.PreconditionerTests.TinyPrior());
        using var provider = services.BuildServiceProvider();
        var source = provider.GetRequiredService<IInverseBenchRegistry>().CreatePrior("tiny-network");
        using var prior = source.Prior;
        prior.Should().BeOfType<InverseBench.Core.Diffusion.Preconditioning.PreconditionedPrior>()
            .Which.Precision.Should().Be(InverseBench.Core.Modules.NetworkPrecision.BFloat16);
        source.Provenance.Should().Contain("bf16 convolutions");
    }

    [Test]
    public void UnknownPrecision_FailsValidation()
    {
        var services = new ServiceCollection();
        services.AddInverseBench(o => o.Precision = "int8");
        using var provider = services.BuildServiceProvider();
        var act = () => provider.GetRequiredService<IOptions<InverseBenchOptions>>().Value;
        act.Should().Throw<OptionsValidationException>().WithMessage("*Precision must be*");
    }
}
