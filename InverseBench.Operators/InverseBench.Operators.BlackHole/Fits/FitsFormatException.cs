namespace InverseBench.Operators.BlackHole.Fits;

/// <summary>A FITS or UVFITS file is corrupt, truncated, or uses a feature this reader does not support.</summary>
public sealed class FitsFormatException : Exception
{
    /// <summary>Creates the exception; the message is prefixed with the file name.</summary>
    /// <param name="file">The file (or stream name) being read.</param>
    /// <param name="message">What was wrong and what was expected.</param>
    public FitsFormatException(string file, string message)
        : base($"{file}: {message}")
    {
        File = file;
    }

    /// <summary>Creates the exception with an inner exception.</summary>
    /// <param name="file">The file (or stream name) being read.</param>
    /// <param name="message">What was wrong and what was expected.</param>
    /// <param name="inner">The underlying error.</param>
    public FitsFormatException(string file, string message, Exception inner)
        : base($"{file}: {message}", inner)
    {
        File = file;
    }

    /// <summary>The file (or stream name) being read.</summary>
    public string File { get; }
}
