namespace InverseBench.Core.IO.Lmdb;

/// <summary>A <c>data.mdb</c> file (an <see cref="IOException"/>) is not an LMDB database, is truncated, or is corrupt. The message names the file and the problem.</summary>
public sealed class LmdbFormatException : IOException
{
    /// <summary>Creates the exception.</summary>
    public LmdbFormatException(string path, string problem)
        : base($"LMDB file '{path}': {problem}") => FilePath = path;

    /// <summary>The <c>data.mdb</c> path.</summary>
    public string FilePath { get; }
}
