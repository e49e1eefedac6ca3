namespace InverseBench.Core.DependencyInjection;

/// <summary>The kinds of named components.</summary>
public enum ComponentKind
{
    /// <summary>An inverse problem: forward operator plus optional dataset and evaluator.</summary>
    Problem,

    /// <summary>A solver.</summary>
    Solver,

    /// <summary>A diffusion prior.</summary>
    Prior,
}

/// <summary>Marks that a component is registered under a name (used to list what is available in error messages).</summary>
/// <param name="Kind">The component kind.</param>
/// <param name="Name">The name (reference config name).</param>
public sealed record ComponentRegistration(ComponentKind Kind, string Name);
