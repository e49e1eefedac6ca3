namespace InverseBench.Algorithms;

/// <summary>Marker type of the InverseBench.Algorithms assembly.</summary>
public static class AssemblyMarker
{
}
