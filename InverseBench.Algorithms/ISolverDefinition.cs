using InverseBench.Core.DependencyInjection;

namespace InverseBench.Algorithms;

/// <summary>
/// Describes one solver of this package for registration by name. Every non-abstract implementation with a public
/// parameterless constructor in this assembly is found by <see cref="Microsoft.Extensions.DependencyInjection.AlgorithmsServiceCollectionExtensions.AddSolvers"/>,
/// so adding a solver needs no edit of a central list.
/// </summary>
public interface ISolverDefinition
{
    /// <summary>The config-driven factory (name, creation from the reference's <c>method</c> section, requirements).</summary>
    SolverFactory Factory { get; }
}
