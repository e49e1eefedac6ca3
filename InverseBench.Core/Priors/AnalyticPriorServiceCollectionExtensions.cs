using InverseBench.Core.DependencyInjection;
using InverseBench.Core.Priors;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the analytic priors with dependency injection.</summary>
public static class AnalyticPriorServiceCollectionExtensions
{
    /// <summary>
    /// Registers the analytic prior <c>gaussian-field</c> (<see cref="AnalyticPriorRegistration.GaussianFieldFactory"/>;
    /// idempotent). Runs shape it to their problem's signals and fit it to synthetic draws (see
    /// <see cref="InverseBench.Core.Running.ComponentSetup.AnalyticPrior"/>).
    /// </summary>
    public static IInverseBenchBuilder AddAnalyticPriors(this IInverseBenchBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddPriorFactory(AnalyticPriorRegistration.GaussianFieldFactory);
    }
}
