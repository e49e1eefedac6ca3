namespace InverseBench.Operators.NavierStokes;

/// <summary>Names of the Navier–Stokes problem in registries, configs and experiment folders.</summary>
public static class NavierStokesProblemNames
{
    /// <summary>The problem key (reference <c>configs/problem/navier-stokes.yaml</c>, CLI <c>problem=navier-stokes</c>).</summary>
    public const string NavierStokes = "navier-stokes";

    /// <summary>The <c>name</c> field of the reference problem config.</summary>
    public const string ReferenceConfigName = "navier-stokes-ds2";

    /// <summary>The reference's experiment directory (<c>exp_dir</c>).</summary>
    public const string ExperimentDirectory = "exps/inference/navier-stokes-ds2";

    /// <summary>The metric key of the evaluator (reference <c>eval.NavierStokes2d</c>).</summary>
    public const string RelativeL2Metric = "relative l2";
}
