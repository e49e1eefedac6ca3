namespace InverseBench.Operators.Mri.Evaluation;

/// <summary>Switches of <see cref="MriEvaluator"/> that reproduce the reference's <c>eval.MRI</c> aggregation quirks.</summary>
public sealed class MriEvaluatorOptions
{
    /// <summary>
    /// Reproduce the reference's batched averaging (spec §11.10): with more predictions than targets it scores only
    /// <c>⌊N/32⌋</c> full batches of 32, sums them and divides by N, so the <c>N mod 32</c> remaining predictions count as
    /// zero (every N &lt; 32 scores 0). Off by default: every prediction counts and the sum is divided by N.
    /// </summary>
    /// <value>The default is false.</value>
    public bool ReferenceBatchRemainder { get; set; }

    /// <summary>
    /// Reproduce the reference's <c>data misfit</c> normalisation: one Frobenius norm over all N predictions stacked,
    /// <c>sqrt(Σ_n ‖A x_n − y‖²)</c>, which grows like √N with the number of samples. Off by default: the mean over the
    /// predictions of <c>‖A x_n − y‖</c> (identical for N = 1).
    /// </summary>
    /// <value>The default is false.</value>
    public bool ReferenceMisfitOverAllSamples { get; set; }
}
