namespace InverseBench.Operators.Mri;

/// <summary>How the phase-encode lines outside the auto-calibration block are chosen (reference <c>pattern</c>).</summary>
public enum MaskPattern
{
    /// <summary><c>random</c>: <c>np.random.choice(outer, k, replace=False)</c> under the legacy numpy generator seeded by <c>mask_seed</c>.</summary>
    Random,

    /// <summary><c>equispaced</c>: every <c>int(R)</c>-th line outside the auto-calibration block, <c>outer[::int(R)]</c>.</summary>
    Equispaced,
}

/// <summary>Which image axis the 1-D mask selects (reference <c>orientation</c>).</summary>
public enum MaskOrientation
{
    /// <summary><c>vertical</c>: the mask selects k-space columns, along the last axis (width); shape <c>[1, 1, 1, W]</c>.</summary>
    Vertical,

    /// <summary><c>horizontal</c>: the mask selects k-space rows, along the height axis; shape <c>[1, 1, H, 1]</c>.</summary>
    Horizontal,
}
