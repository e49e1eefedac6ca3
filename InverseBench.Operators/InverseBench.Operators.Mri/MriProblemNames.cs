namespace InverseBench.Operators.Mri;

/// <summary>The problem names of the reference's MRI configs (<c>configs/problem/&lt;name&gt;.yaml</c>).</summary>
public static class MriProblemNames
{
    /// <summary><c>multi-coil-mri-knee</c>: fastMRI knee, HDF5 volumes with ESPIRiT maps.</summary>
    public const string Knee = "multi-coil-mri-knee";

    /// <summary><c>multi-coil-mri-brain</c>: fastMRI brain (T2 only, first 500+ slices), HDF5 volumes with ESPIRiT maps.</summary>
    public const string Brain = "multi-coil-mri-brain";

    /// <summary><c>multi-coil-mri-knee-lmdb</c>: fastMRI knee, pre-cropped LMDB (<c>kspace</c>, <c>s_maps</c>, <c>mvue</c>).</summary>
    public const string KneeLmdb = "multi-coil-mri-knee-lmdb";

    /// <summary>The operator's own name (the reference yaml <c>name: multi-coil-mri</c>).</summary>
    public const string Operator = "multi-coil-mri";
}
