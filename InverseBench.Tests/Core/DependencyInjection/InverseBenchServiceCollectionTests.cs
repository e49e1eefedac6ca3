using InverseBench.Core.Abstractions;
using InverseBench.Core.Configuration;
using InverseBench.Core.DependencyInjection;
using InverseBench.Tests.Core.Fakes;
using Microsoft.Extensions.DependencyInjection;

namespace InverseBench.Tests.Core.DependencyInjection;

public sealed class InverseBenchServiceCollectionTests
{
    private static ServiceProvider BuildProvider(Action<IInverseBenchBuilder>? extra = null)
    {
        var services = new ServiceCollection();
        var builder = services.AddInverseBench(o => o.Seed = 5)
            .AddProblem("toy-mask", _ => new MaskOperator(noise: 0.01), _ => ListDataset.Random(2), (_, _) => new MseEvaluator())
            .AddPrior("toy-gaussian", _ => new IsotropicGaussianPrior())
            .AddSolver("toy-wiener", _ => new WienerSolver(new WienerOptions()));
        extra?.Invoke(builder);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    [Test]
    public void RunFactory_BuildsARunFromRegisteredNames_AndItProducesMetrics()
    {
        using var provider = BuildProvider();
        using var run = provider.GetRequiredService<IRunFactory>().Create("toy-mask", "toy-wiener", "toy-gaussian");
        run.Seed.Should().Be(5);
        using var report = run.Execute();
        report.Samples.Should().HaveCount(2);
        report.Aggregate.Should().ContainKey("mse");
    }

    [Test]
    public void Registry_ResolvesByName_AndListsWhatIsRegisteredOnAMiss()
    {
        using var provider = BuildProvider();
        var registry = provider.GetRequiredService<IInverseBenchRegistry>();
        registry.GetOperator("toy-mask").Should().BeOfType<MaskOperator>();
        registry.GetSolver("toy-wiener").Should().NotBeSameAs(registry.GetSolver("toy-wiener"), "solvers are transient");
        registry.Names(ComponentKind.Problem).Should().Equal("toy-mask");

        var act = () => registry.GetSolver("daps");
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
        registry.GetSolver("toy-wiener").Should().BeOfType<WienerSolver>();
    }

    [Test]
    public void SolverFactories_AreRegisteredByName_AndCreatedFromConfiguration()
    {
        var factory = new SolverFactory("toy-configured",
            section => new WienerSolver(new WienerOptions { Steps = section.Get("num_steps", 3) }),
            SolverRequirements.Of(SolverCapability.Linear).WithPrior());
        using var provider = BuildProvider(b => b.AddSolverFactory(factory).AddSolverFactory(factory));
        provider.GetServices<SolverFactory>().Should().ContainSingle();
        var solver = (WienerSolver)factory.Create(new ConfigSection(new Dictionary<string, object?> { ["num_steps"] = "7" }));
        solver.Options.Steps.Should().Be(7);
        provider.GetRequiredService<IInverseBenchRegistry>().GetSolver("toy-configured").Should().BeOfType<WienerSolver>();
    }

    [Test]
    public void InvalidOptions_FailValidation()
    {
        var services = new ServiceCollection();
        services.AddInverseBench(o => o.Device = "gpu0");
        using var provider = services.BuildServiceProvider();
        var act = () => provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<InverseBenchOptions>>().Value;
        act.Should().Throw<Microsoft.Extensions.Options.OptionsValidationException>().WithMessage("*Device must be*");
    }
}
