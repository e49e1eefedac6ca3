namespace InverseBench.Evaluation.Figures;

/// <summary>
/// A physical axis of an image: pixel <c>i</c> (0-based) spans <c>[Start + i·Step, Start + (i+1)·Step]</c> in the axis'
/// unit, e.g. FWI depth in km with <c>Step = dz / 1000</c>.
/// </summary>
/// <param name="Label">The axis label with its unit, e.g. <c>depth (km)</c>.</param>
/// <param name="Step">Extent of one pixel in the axis' unit (positive).</param>
/// <param name="Start">Coordinate of the first pixel's edge.</param>
public sealed record FigureAxis(string Label, double Step = 1.0, double Start = 0.0)
{
    /// <summary>The label of an axis counted in pixels (the default).</summary>
    public static FigureAxis Pixels(string direction) => new($"{direction} (pixel)");
}
