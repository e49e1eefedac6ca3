using Microsoft.Extensions.DependencyInjection;

namespace InverseBench.Core.DependencyInjection;

/// <summary>
/// The builder returned by <see cref="InverseBenchServiceCollectionExtensions.AddInverseBench"/>; packages add their
/// <c>Add…</c> extensions to it (<c>AddNavierStokes()</c>, <c>AddSolvers()</c>, ...), as <c>ILoggingBuilder</c> does for logging.
/// </summary>
public interface IInverseBenchBuilder
{
    /// <summary>The service collection being configured.</summary>
    IServiceCollection Services { get; }
}

internal sealed class InverseBenchBuilder(IServiceCollection services) : IInverseBenchBuilder
{
    public IServiceCollection Services { get; } = services;
}
