using InverseBench.Algorithms;
using InverseBench.Core.DependencyInjection;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the solvers of InverseBench.Algorithms.</summary>
public static class AlgorithmsServiceCollectionExtensions
{
    private static readonly Lazy<SolverFactory[]> Definitions = new(() => typeof(ISolverDefinition).Assembly.GetTypes()
        .Where(t => typeof(ISolverDefinition).IsAssignableFrom(t) && !t.IsAbstract && !t.IsInterface && t.GetConstructor(Type.EmptyTypes) is not null)
        .Select(t => ((ISolverDefinition)Activator.CreateInstance(t)!).Factory)
        .OrderBy(f => f.Name, StringComparer.Ordinal)
        .ToArray());

    /// <summary>The factories of every solver in this package, sorted by name.</summary>
    public static IReadOnlyList<SolverFactory> SolverFactories => Definitions.Value;

    /// <summary>Registers every solver of this package under its reference name (idempotent).</summary>
    public static IInverseBenchBuilder AddSolvers(this IInverseBenchBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        foreach (var factory in Definitions.Value) builder.AddSolverFactory(factory);
        return builder;
    }

    /// <summary>The names of the registered-by-default solvers (reflection-free view for tools and docs).</summary>
    public static IEnumerable<string> SolverNames => Definitions.Value.Select(f => f.Name);

}
