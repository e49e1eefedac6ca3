using InverseBench.Core.DependencyInjection;
using Microsoft.Extensions.DependencyInjection;
using InverseBench.Core.Priors;
using InverseBench.Operators.InverseScattering;
using InverseBench.Operators.NavierStokes;

namespace InverseBench.Cli;

/// <summary>The packages the CLI registers by default (after any registrations a host adds first; the first registration of a name wins).</summary>
public static class DefaultComponents
{
    /// <summary>Adds every problem, solver and prior package the CLI ships with.</summary>
    public static IInverseBenchBuilder Add(IInverseBenchBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddNavierStokes();
        builder.AddInverseScattering();
        builder.AddFwi();
        builder.AddMri();
        builder.AddBlackHole();
        builder.AddImageRestoration();
        builder.AddSolvers();
        builder.AddAnalyticPriors();
        return builder;
    }
}
