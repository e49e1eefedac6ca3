using InverseBench.Core.Fluent;
using Microsoft.Extensions.Options;

namespace InverseBench.Core.DependencyInjection;

/// <summary>Builds runs from components registered by name (the reference's config names).</summary>
public interface IRunFactory
{
    /// <summary>
    /// Builds a run of solver <paramref name="solver"/> on problem <paramref name="problem"/> with prior <paramref name="prior"/>
    /// (null for solvers that need none). The caller owns the returned run.
    /// </summary>
    InverseBenchRun Create(string problem, string solver, string? prior = null, Action<InverseBenchRunBuilder>? configure = null);
}

internal sealed class RunFactory(IInverseBenchRegistry registry, IOptions<InverseBenchOptions> options) : IRunFactory
{
    public InverseBenchRun Create(string problem, string solver, string? prior = null, Action<InverseBenchRunBuilder>? configure = null)
    {
        var o = options.Value;
        var op = registry.GetOperator(problem);
        var builder = InverseBenchRun.Create(o.Seed, o.Device)
            .Problem(p => p.Custom(op, registry.GetDataset(problem), registry.GetEvaluator(problem)))
            .Solver(s => s.Custom(registry.GetSolver(solver)))
            .SamplesPerObservation(o.NumSamples);
        if (prior is not null) builder.Prior(p => p.Custom(registry.GetPrior(prior)));
        configure?.Invoke(builder);
        return builder.Build();
    }
}
