using InverseBench.Core.Operators;
using InverseBench.Evaluation.Figures;
using static TorchSharp.torch;

namespace InverseBench.Operators.ImageRestoration;

/// <summary>
/// Base of the image-restoration operators (reference <c>inverse_problems/image_restore.py</c> on top of
/// <c>BaseOperator</c>): signals are images <c>[B, C, R, R]</c> in <c>[−1, 1]</c>, measurements real float images, the
/// observation is <c>A(x) + σ·N(0, 1)</c> and the misfit is <c>Σ (A(x) − y)²</c> per batch item (<c>[B]</c>).
/// </summary>
public abstract class ImageRestorationOperator : ForwardOperatorBase, IFigureStyleProvider
{
    /// <summary>Result figures: natural RGB images in [−1, 1].</summary>
    public FigureStyle FigureStyle => FigureStyle.NaturalImage;

    /// <summary>Initialises the common parts from validated options.</summary>
    /// <param name="name">The problem name.</param>
    /// <param name="options">The validated options.</param>
    /// <param name="measurementShape">Shape of one measurement, without the batch dimension.</param>
    /// <param name="device">Device of the operator's tensors (CPU when null).</param>
    protected ImageRestorationOperator(string name, ImageRestorationOptions options, IReadOnlyList<long> measurementShape, Device? device)
        : base([Checked(options).Channels, options.Resolution, options.Resolution], measurementShape, new GaussianNoise(options.SigmaNoise),
            options.UnnormShift, options.UnnormScale, device)
    {
        Name = name;
        Resolution = options.Resolution;
        Channels = options.Channels;
    }

    /// <inheritdoc />
    public override string Name { get; }

    /// <inheritdoc />
    public override ScalarType MeasurementType => ScalarType.Float32;

    /// <summary>Image side R.</summary>
    public int Resolution { get; }

    /// <summary>Number of channels C.</summary>
    public int Channels { get; }

    /// <summary>Per-sample misfit <c>Σ (A(x_b) − y)²</c>, <c>[B]</c>; <paramref name="observation"/> is <c>[1, ..]</c> (shared) or <c>[B, ..]</c>.</summary>
    public override Tensor Loss(Tensor x, Tensor observation)
    {
        CheckPair(x, observation);
        return base.Loss(x, observation);
    }

    /// <summary>Checks a signal batch and an observation (real, batch 1 or B) before any native call.</summary>
    protected void CheckPair(Tensor x, Tensor observation)
    {
        long batch = CheckSignal(x, nameof(x));
        CheckObservation(observation, nameof(observation));
        if (observation.is_complex())
            throw new ArgumentException($"{nameof(observation)} must be real (float32 or float64); got {observation.dtype}.", nameof(observation));
        if (observation.shape[0] != 1 && observation.shape[0] != batch)
        {
            throw new ArgumentException(
                $"{nameof(observation)} has batch {observation.shape[0]}; expected 1 (shared by all samples) or {batch} (one per sample).", nameof(observation));
        }
    }

    private static ImageRestorationOptions Checked(ImageRestorationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return options;
    }
}
