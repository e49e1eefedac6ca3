// The README's C# snippets live here, between "// <snippet:name>" and "// </snippet:name>" markers, so they are compiled
// with the tests; ReadmeSnippetTests checks that README.md shows exactly these lines and runs them.
using InverseBench.Core.DependencyInjection;
using InverseBench.Core.Fluent;
using InverseBench.Core.Running;
using InverseBench.Operators.NavierStokes.Data;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using TorchSharp;

namespace InverseBench.Tests.Docs;

public static class ReadmeSnippets
{
    public static double Fluent(string experimentFolder)
    {
        // <snippet:fluent>
        using var run = InverseBenchRun.Create(seed: 0)
            .Problem(p => p.NavierStokes(o => o.Resolution = 16,
                dataset: new SyntheticNavierStokesDataset(new() { Count = 2, Resolution = 16 }, new torch.Generator(0))))
            .Prior(p => p.GaussianField(o => o.Resolution = 16))
            .Solver(s => s.Enkg(o => { o.NumSteps = 2; o.EnsembleSize = 8; o.BatchSize = 8; }))
            .SaveTo(experimentFolder)   // resumable: finished samples are reused on a re-run
            .Build();                   // validates: solver requirements vs operator capabilities, prior shape, data
        using BenchmarkReport report = run.Execute();
        Console.WriteLine($"relative L2 = {report.Aggregate["relative l2"].Mean:F3}");
        // </snippet:fluent>
        return report.Aggregate["relative l2"].Mean;
    }

    public static double DependencyInjection()
    {
        // <snippet:di>
        IConfiguration configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>   // or appsettings.json / environment variables
            {
                ["InverseBench:Device"] = "cpu",
                ["InverseBench:Problems:navier-stokes:Resolution"] = "16",
                ["InverseBench:Solvers:enkg:num_steps"] = "2",        // the reference's algorithm keys
                ["InverseBench:Solvers:enkg:num_samples"] = "8",
                ["InverseBench:Solvers:enkg:batch_size"] = "8",
            })
            .Build();
        var services = new ServiceCollection()
            .AddSingleton(configuration)
            .AddLogging();
        services.AddInverseBench()
            .AddNavierStokes(o => o.SigmaNoise = 1.0)   // code configuration runs after the bound values
            .AddSolvers()
            .AddAnalyticPriors();
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        using var run = provider.GetRequiredService<IRunFactory>()
            .Create(new RunRequest("navier-stokes", "enkg", "gaussian-field") { Seed = 0, SyntheticSamples = 1 });
        using var report = run.Execute();
        Console.WriteLine($"{run.Provenance.Data} → relative L2 {report.Aggregate["relative l2"].Mean:F3}");
        // </snippet:di>
        return report.Aggregate["relative l2"].Mean;
    }
}
