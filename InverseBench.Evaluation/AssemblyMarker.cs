namespace InverseBench.Evaluation;

/// <summary>Marker type of the InverseBench.Evaluation assembly.</summary>
public static class AssemblyMarker
{
}
