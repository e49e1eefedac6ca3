using System.Globalization;
using InverseBench.Core.Abstractions;
using InverseBench.Operators.BlackHole.Functional;
using InverseBench.Operators.BlackHole.Interferometry;
using static TorchSharp.torch;

namespace InverseBench.Operators.BlackHole.Evaluation;

/// <summary>
/// The reference's <c>eval.BlackHoleEvaluator</c>: per prediction the normalised closure-phase and log-closure-amplitude χ²
/// (<see cref="BlackHoleOperator.EvaluateChiSquare"/>, after flux alignment), the PSNR after the best integer-ish shift
/// (<see cref="ImageAlignment"/>) and the PSNR of both images blurred with circular Gaussians of FWHM 10, 15 and 20 µas
/// (<see cref="GaussianBlur"/>, ehtim <c>blur_circ</c>). <see cref="Evaluate"/> reports, like the reference, the best sample
/// of the batch: the maximum PSNR and the minimum χ².
/// </summary>
/// <remarks>
/// The reference labels its blurred columns off by one (its "f=10" value is unblurred, "f=15" is f = 10, "f=20" is
/// f = 15; spec §11 item 2). By default each key holds what it names; set <c>referenceLabels</c> to reproduce the
/// reference's numbers under its labels.
/// </remarks>
public sealed class BlackHoleEvaluator : IEvaluator
{
    /// <summary>Key of the normalised closure-phase χ².</summary>
    public const string ClosurePhaseChi2Key = "cp_chi2";

    /// <summary>Key of the normalised log-closure-amplitude χ².</summary>
    public const string LogClosureAmplitudeChi2Key = "camp_chi2";

    /// <summary>Key of the aligned PSNR.</summary>
    public const string PsnrKey = "psnr";

    /// <summary>The blur FWHMs (µas) of the reported blurred PSNRs.</summary>
    public static readonly IReadOnlyList<double> BlurFactors = [10, 15, 20];

    private readonly BlackHoleOperator _operator;
    private readonly MetricDescriptor[] _metrics;

    /// <summary>Creates the evaluator for an operator (its closure tables and pixel size).</summary>
    /// <param name="forwardOperator">The black-hole operator.</param>
    /// <param name="referenceLabels">Reproduce the reference's off-by-one blur labels.</param>
    public BlackHoleEvaluator(BlackHoleOperator forwardOperator, bool referenceLabels = false)
    {
        ArgumentNullException.ThrowIfNull(forwardOperator);
        _operator = forwardOperator;
        ReferenceLabels = referenceLabels;
        _metrics = [new(ClosurePhaseChi2Key, false), new(LogClosureAmplitudeChi2Key, false), new(PsnrKey, true),
            .. BlurFactors.Select(f => new MetricDescriptor(BlurKey(f), true))];
    }

    /// <summary>Whether the reference's off-by-one blur labels are reproduced.</summary>
    public bool ReferenceLabels { get; }

    /// <inheritdoc />
    public IReadOnlyList<MetricDescriptor> Metrics => _metrics;

    /// <summary>The key of the blurred PSNR at FWHM <paramref name="factor"/> µas, e.g. <c>blur_psnr (f=10)</c>.</summary>
    public static string BlurKey(double factor) => $"blur_psnr (f={factor.ToString(CultureInfo.InvariantCulture)})";

    /// <summary>
    /// Per-prediction metrics, each <c>[N]</c> float64.
    /// </summary>
    /// <param name="prediction">Physical images <c>[N, 1, H, W]</c>.</param>
    /// <param name="target">Physical target <c>[1, 1, H, W]</c> or <c>[N, 1, H, W]</c>.</param>
    /// <param name="observation">The observation <c>[1, 1, L, 1]</c> or <c>[N, 1, L, 1]</c> (required for the χ²).</param>
    public IReadOnlyDictionary<string, Tensor> EvaluatePerItem(Tensor prediction, Tensor target, Tensor? observation = null)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(target);
        if (observation is null) throw new ArgumentNullException(nameof(observation), "The black-hole evaluator needs the observation for the closure χ².");
        using var scope = NewDisposeScope();
        long n = prediction.shape[0];
        var t = target.dim() == 3 ? target.unsqueeze(0) : target;
        if (t.shape[0] != n) t = t.expand(n, -1, -1, -1);
        var pred = prediction.to(_operator.Device);
        var (cp, camp) = _operator.EvaluateChiSquare(pred, observation.to(_operator.Device));
        double[] factors = [0, .. BlurFactors];
        var table = EvaluatePsnr(t.to(_operator.Device), pred, factors);
        var result = new Dictionary<string, Tensor>
        {
            [ClosurePhaseChi2Key] = scope.MoveToOuter(cp.to_type(ScalarType.Float64)),
            [LogClosureAmplitudeChi2Key] = scope.MoveToOuter(camp.to_type(ScalarType.Float64)),
            [PsnrKey] = scope.MoveToOuter(table[TensorIndex.Colon, 0].to_type(ScalarType.Float64)),
        };
        for (int i = 0; i < BlurFactors.Count; i++)
        {
            // Column j + 1 holds blur factor factors[j]; the reference reports column i + 1 under the label of factor i + 1.
            int column = ReferenceLabels ? i + 1 : Array.IndexOf(factors, BlurFactors[i]) + 1;
            result[BlurKey(BlurFactors[i])] = scope.MoveToOuter(table[TensorIndex.Colon, column].to_type(ScalarType.Float64));
        }

        return result;
    }

    /// <summary>The reference's per-sample reduction: the best prediction of the batch (max PSNR, min χ²).</summary>
    public IReadOnlyDictionary<string, double> Evaluate(Tensor prediction, Tensor target, Tensor? observation = null)
    {
        var perItem = EvaluatePerItem(prediction, target, observation);
        var result = new Dictionary<string, double>();
        foreach (var descriptor in _metrics)
        {
            using var value = perItem[descriptor.Name];
            result[descriptor.Name] = descriptor.HigherIsBetter ? value.max().item<double>() : value.min().item<double>();
        }

        return result;
    }

    /// <summary>
    /// The reference's <c>evaluate_psnr(image1=target, image2=prediction, blur_factors)</c> → <c>[N, 1 + factors]</c> float32:
    /// column 0 the aligned PSNR, column j + 1 the PSNR after blurring both images with FWHM <c>factors[j]</c> µas.
    /// </summary>
    public Tensor EvaluatePsnr(Tensor target, Tensor prediction, IReadOnlyList<double> factors)
    {
        ArgumentNullException.ThrowIfNull(factors);
        using var scope = NewDisposeScope();
        var aligned = ImageAlignment.Align(target, prediction);
        var t = target.to_type(ScalarType.Float32).clamp(0, 1);
        var columns = new List<Tensor> { InverseBench.Evaluation.Metrics.Psnr(t, aligned.clamp(0, 1), 1.0) };
        foreach (double f in factors)
        {
            var blurredTarget = Blur(t, f).clamp(0, 1);
            var blurredAligned = Blur(aligned, f).clamp(0, 1);
            columns.Add(InverseBench.Evaluation.Metrics.Psnr(blurredTarget, blurredAligned, 1.0));
        }

        return scope.MoveToOuter(stack(columns, 1));
    }

    /// <summary>The reference's <c>aligned_images(target, prediction)</c>.</summary>
    public static Tensor AlignedImages(Tensor target, Tensor prediction) => ImageAlignment.Align(target, prediction);

    /// <summary>The reference's <c>blur_images(images, f)</c>: images clipped to [0, 1], ehtim <c>blur_circ(f·RADPERUAS)</c> → float32.</summary>
    public Tensor Blur(Tensor images, double fwhmMicroArcseconds)
    {
        ArgumentNullException.ThrowIfNull(images);
        double sigma = GaussianBlur.SigmaPixels(fwhmMicroArcseconds * EhtConstants.RadiansPerMicroArcsecond, _operator.Setup.Image.PixelSize);
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(GaussianBlur.Apply(images.clamp(0, 1), sigma));
    }
}
