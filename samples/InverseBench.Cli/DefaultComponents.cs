using InverseBench.Algorithms;
using InverseBench.Core.DependencyInjection;

namespace InverseBench.Cli;

/// <summary>The packages the CLI registers by default (after any registrations a host adds first).</summary>
public static class DefaultComponents
{
    /// <summary>Adds every problem, solver and prior package the CLI ships with.</summary>
    public static IInverseBenchBuilder Add(IInverseBenchBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddSolvers();
        return builder;
    }
}
