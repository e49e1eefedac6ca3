namespace InverseBench.Operators.InverseScattering;

/// <summary>Marker type of the InverseBench.Operators.InverseScattering assembly.</summary>
public static class AssemblyMarker
{
}
