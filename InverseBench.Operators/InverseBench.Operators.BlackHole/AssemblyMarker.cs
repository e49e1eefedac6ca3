namespace InverseBench.Operators.BlackHole;

/// <summary>Marker type of the InverseBench.Operators.BlackHole assembly.</summary>
public static class AssemblyMarker
{
}
