namespace InverseBench.Core.Abstractions;

/// <summary>Capabilities a solver may need.</summary>
[Flags]
public enum SolverCapability
{
    /// <summary>Nothing beyond the forward model.</summary>
    None = 0,

    /// <summary>A diffusion prior (<see cref="IDiffusionPrior"/>).</summary>
    Prior = 1,

    /// <summary>The gradient of the data misfit (<see cref="IForwardOperator.SupportsGradient"/>).</summary>
    Gradient = 2,

    /// <summary>A linear operator with an adjoint (<see cref="ILinearOperator"/>).</summary>
    Linear = 4,

    /// <summary>An SVD of the operator (<see cref="ISvdOperator"/>).</summary>
    Svd = 8,

    /// <summary>A pseudo-inverse (<see cref="IPseudoInverse"/>).</summary>
    PseudoInverse = 16,
}

/// <summary>What a solver needs; checked when a run is built, before any step runs.</summary>
public sealed class SolverRequirements
{
    private SolverRequirements(SolverCapability capabilities) => Capabilities = capabilities;

    /// <summary>The required capabilities.</summary>
    public SolverCapability Capabilities { get; }

    /// <summary>No requirement beyond a forward model.</summary>
    public static SolverRequirements None { get; } = new(SolverCapability.None);

    /// <summary>Requirements from flags.</summary>
    public static SolverRequirements Of(SolverCapability capabilities) => new(capabilities);

    /// <summary>These requirements plus a diffusion prior.</summary>
    public SolverRequirements WithPrior() => new(Capabilities | SolverCapability.Prior);

    /// <summary>These requirements plus the data-misfit gradient.</summary>
    public SolverRequirements WithGradient() => new(Capabilities | SolverCapability.Gradient);

    /// <summary>The capabilities that <paramref name="forwardOperator"/> and <paramref name="prior"/> lack (None when satisfied).</summary>
    public SolverCapability Missing(IForwardOperator forwardOperator, IDiffusionPrior? prior)
    {
        ArgumentNullException.ThrowIfNull(forwardOperator);
        var missing = SolverCapability.None;
        if (Capabilities.HasFlag(SolverCapability.Prior) && prior is null) missing |= SolverCapability.Prior;
        if (Capabilities.HasFlag(SolverCapability.Gradient) && !forwardOperator.SupportsGradient) missing |= SolverCapability.Gradient;
        if (Capabilities.HasFlag(SolverCapability.Linear) && forwardOperator is not ILinearOperator) missing |= SolverCapability.Linear;
        if (Capabilities.HasFlag(SolverCapability.Svd) && forwardOperator is not ISvdOperator) missing |= SolverCapability.Svd;
        if (Capabilities.HasFlag(SolverCapability.PseudoInverse) && forwardOperator is not IPseudoInverse) missing |= SolverCapability.PseudoInverse;
        return missing;
    }

    /// <summary>Throws a <see cref="SolverRequirementException"/> naming what is missing, if anything is.</summary>
    public void Verify(string solverName, IForwardOperator forwardOperator, IDiffusionPrior? prior)
    {
        var missing = Missing(forwardOperator, prior);
        if (missing == SolverCapability.None) return;
        throw new SolverRequirementException(solverName, forwardOperator.Name, forwardOperator.GetType().Name, missing);
    }

    /// <summary>A human-readable description of one capability.</summary>
    public static string Describe(SolverCapability capability) => capability switch
    {
        SolverCapability.Prior => "a diffusion prior (IDiffusionPrior)",
        SolverCapability.Gradient => "the data-misfit gradient (IForwardOperator.SupportsGradient)",
        SolverCapability.Linear => "a linear operator with an adjoint (ILinearOperator)",
        SolverCapability.Svd => "an SVD of the operator (ISvdOperator: U, S, Vᵀ)",
        SolverCapability.PseudoInverse => "a pseudo-inverse (IPseudoInverse)",
        _ => capability.ToString(),
    };

    /// <inheritdoc />
    public override string ToString() => Capabilities == SolverCapability.None
        ? "none"
        : string.Join(", ", Enum.GetValues<SolverCapability>().Where(c => c != 0 && Capabilities.HasFlag(c)).Select(Describe));
}

/// <summary>Thrown when a solver is paired with an operator or prior that lacks a capability it needs.</summary>
public sealed class SolverRequirementException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public SolverRequirementException(string solver, string problem, string operatorType, SolverCapability missing)
        : base(BuildMessage(solver, problem, operatorType, missing))
    {
        Solver = solver;
        Problem = problem;
        MissingCapabilities = missing;
    }

    /// <summary>The solver's name.</summary>
    public string Solver { get; }

    /// <summary>The problem's name.</summary>
    public string Problem { get; }

    /// <summary>What is missing.</summary>
    public SolverCapability MissingCapabilities { get; }

    private static string BuildMessage(string solver, string problem, string operatorType, SolverCapability missing)
    {
        var parts = Enum.GetValues<SolverCapability>().Where(c => c != 0 && missing.HasFlag(c)).Select(SolverRequirements.Describe);
        string which = missing == SolverCapability.Prior ? "the run has none" : $"{operatorType} does not provide it";
        return $"Solver '{solver}' cannot run on problem '{problem}': it needs {string.Join(" and ", parts)}, which {which}.";
    }
}
