namespace InverseBench.Operators.Fwi;

/// <summary>Names of the full-waveform-inversion problem in registries, configs and experiment folders.</summary>
public static class FwiProblemNames
{
    /// <summary>The problem key (reference <c>configs/problem/fwi.yaml</c>, CLI <c>problem=fwi</c>).</summary>
    public const string Fwi = "fwi";

    /// <summary>The <c>name</c> field of the reference problem config.</summary>
    public const string ReferenceConfigName = "fwi-acoustic";

    /// <summary>The reference's experiment directory (<c>exp_dir</c>).</summary>
    public const string ExperimentDirectory = "exps/inference/fwi-acoustic";
}
