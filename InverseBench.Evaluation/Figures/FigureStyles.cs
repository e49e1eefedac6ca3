using System.Collections.Concurrent;
using InverseBench.Core.Abstractions;

namespace InverseBench.Evaluation.Figures;

/// <summary>
/// Chooses the <see cref="FigureStyle"/> of a problem: a style registered for the operator's name wins, then the
/// operator's own (<see cref="IFigureStyleProvider"/>), then <see cref="FigureStyle.Default"/>. The built-in domain
/// operators provide theirs; register a style to override one or to style an operator you cannot change. Thread-safe.
/// </summary>
public static class FigureStyles
{
    private static readonly ConcurrentDictionary<string, Func<IForwardOperator, FigureStyle>> Registered = new(StringComparer.Ordinal);

    /// <summary>Registers (or replaces) the style of the problem whose operator is named <paramref name="problemName"/>.</summary>
    public static void Register(string problemName, FigureStyle style)
    {
        ArgumentNullException.ThrowIfNull(style);
        Register(problemName, _ => style);
    }

    /// <summary>Registers (or replaces) a style computed from the operator (e.g. axes from its grid spacing).</summary>
    public static void Register(string problemName, Func<IForwardOperator, FigureStyle> style)
    {
        ArgumentException.ThrowIfNullOrEmpty(problemName);
        ArgumentNullException.ThrowIfNull(style);
        Registered[problemName] = style;
    }

    /// <summary>Removes a registration; returns whether there was one.</summary>
    public static bool Unregister(string problemName)
    {
        ArgumentException.ThrowIfNullOrEmpty(problemName);
        return Registered.TryRemove(problemName, out _);
    }

    /// <summary>The style of <paramref name="forwardOperator"/>'s results.</summary>
    public static FigureStyle For(IForwardOperator forwardOperator)
    {
        ArgumentNullException.ThrowIfNull(forwardOperator);
        if (Registered.TryGetValue(forwardOperator.Name, out var registered)) return registered(forwardOperator);
        return forwardOperator is IFigureStyleProvider provider ? provider.FigureStyle : FigureStyle.Default;
    }
}
