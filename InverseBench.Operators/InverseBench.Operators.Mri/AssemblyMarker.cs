namespace InverseBench.Operators.Mri;

/// <summary>Marker type of the InverseBench.Operators.Mri assembly.</summary>
public static class AssemblyMarker
{
}
