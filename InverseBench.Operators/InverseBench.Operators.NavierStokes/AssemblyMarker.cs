namespace InverseBench.Operators.NavierStokes;

/// <summary>Marker type of the InverseBench.Operators.NavierStokes assembly.</summary>
public static class AssemblyMarker
{
}
