namespace InverseBench.Operators.ImageRestoration;

/// <summary>Marker type of the InverseBench.Operators.ImageRestoration assembly.</summary>
public static class AssemblyMarker
{
}
