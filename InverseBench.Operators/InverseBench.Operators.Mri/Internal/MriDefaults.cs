namespace InverseBench.Operators.Mri.Internal;

/// <summary>
/// Defaults of the multi-coil MRI problems, from the reference's <c>configs/problem/multi-coil-mri-knee.yaml</c>
/// (<c>model:</c> and <c>data:</c> blocks; the brain and LMDB variants share the model block) unless stated otherwise.
/// </summary>
internal static class MriDefaults
{
    /// <summary><c>total_lines: 320</c> (the Python constructor's own default is 128).</summary>
    public const int TotalLines = 320;

    /// <summary><c>acceleration_ratio: 4</c> (the Python constructor's own default is 8; the 8× sweeps set 8).</summary>
    public const double AccelerationRatio = 4;

    /// <summary><c>pattern: random</c>.</summary>
    public const MaskPattern Pattern = MaskPattern.Random;

    /// <summary>Constructor default <c>orientation='vertical'</c>.</summary>
    public const MaskOrientation Orientation = MaskOrientation.Vertical;

    /// <summary><c>mask_seed: 0</c>.</summary>
    public const uint MaskSeed = 0;

    /// <summary><c>sigma_noise: 0.0</c> (the reference ignores it when observing measured k-space).</summary>
    public const double SigmaNoise = 0.0;

    /// <summary><c>data.image_size: [320, 320]</c> (height).</summary>
    public const int Height = 320;

    /// <summary><c>data.image_size: [320, 320]</c> (width).</summary>
    public const int Width = 320;

    /// <summary>Coils of the fastMRI knee multi-coil set (15); a port key, since the reference takes the count from the data.</summary>
    public const int Coils = 15;

    /// <summary>Quantile of <c>|mvue|</c> the reference's datasets divide by (<c>np.quantile(|mvue|, 0.99)</c>).</summary>
    public const double ScalingQuantile = 0.99;

    /// <summary>Slice range of <c>MultiCoilMRIData</c> (<c>slice_range=[5, -5]</c>): the first and last five slices are skipped.</summary>
    public const int SliceStart = 5;

    /// <summary>End of the slice range, counted from the end (<c>-5</c>).</summary>
    public const int SliceEnd = -5;

    /// <summary>The brain index stops once it holds more than this many slices (<c>len(self.data) &gt; 500</c>).</summary>
    public const int BrainSliceLimit = 500;

    /// <summary>Knee data root of multi-coil-mri-knee.yaml (a cluster path in the reference; relative here).</summary>
    public const string KneeRoot = "../data/knee_multicoil_val_sens_maps_espirit";

    /// <summary>Brain data root of multi-coil-mri-brain.yaml (a cluster path in the reference; relative here).</summary>
    public const string BrainRoot = "../data/brain_multicoil_train_sens_maps_espirit";

    /// <summary>LMDB data root of multi-coil-mri-knee-lmdb.yaml.</summary>
    public const string LmdbRoot = "../data/fastmri_multicoil_knee_train_lmdb";
}
