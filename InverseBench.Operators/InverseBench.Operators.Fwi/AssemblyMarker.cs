namespace InverseBench.Operators.Fwi;

/// <summary>Marker type of the InverseBench.Operators.Fwi assembly.</summary>
public static class AssemblyMarker
{
}
