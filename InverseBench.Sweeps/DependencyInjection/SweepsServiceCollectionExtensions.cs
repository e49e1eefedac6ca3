using InverseBench.Sweeps.Planning;
using InverseBench.Sweeps.Reports;
using InverseBench.Sweeps.Results;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the sweep library: planner, Bayesian suggester, trial identity, results store and report writer.</summary>
public static class SweepsServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="ISweepPlanner"/> (<see cref="SweepPlanner"/>), <see cref="IBayesSuggester"/> (<see cref="TpeSuggester"/>),
    /// <see cref="ITrialIdentity"/> (<see cref="OverrideListIdentity"/> unless one is registered) and <see cref="SweepReportBuilder"/>.
    /// </summary>
    public static IServiceCollection AddSweeps(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<ITrialIdentity, OverrideListIdentity>();
        services.TryAddSingleton<IBayesSuggester, TpeSuggester>();
        services.TryAddSingleton<ISweepPlanner, SweepPlanner>();
        services.TryAddSingleton<SweepReportBuilder>();
        return services;
    }

    /// <summary>Adds the <see cref="IResultStore"/> at <paramref name="location"/> (<c>sqlite:///path.db</c>, a path, or <c>postgres://...</c>), opened on first use.</summary>
    public static IServiceCollection AddResultStore(this IServiceCollection services, string location)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(location);
        services.TryAddSingleton(_ => ResultStoreLocation.Open(location));
        return services;
    }
}
