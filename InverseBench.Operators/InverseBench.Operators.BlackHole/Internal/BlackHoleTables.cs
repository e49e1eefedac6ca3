namespace InverseBench.Operators.BlackHole.Internal;

/// <summary>Small helpers for the closure tables.</summary>
internal static class BlackHoleTables
{
    /// <summary>Row-major copy of a 2-D table.</summary>
    public static long[] Flatten(long[,] table) => table.Cast<long>().ToArray();
}
