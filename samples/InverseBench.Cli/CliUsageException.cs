namespace InverseBench.Cli;

/// <summary>
/// A mistake in the command line or the configuration (unknown key, wrong type, unknown component). The CLI prints the
/// message, without a stack trace, and exits with <see cref="ExitCodes.Usage"/>.
/// </summary>
public sealed class CliUsageException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CliUsageException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public CliUsageException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

/// <summary>The process exit codes of <c>inversebench</c>.</summary>
public static class ExitCodes
{
    /// <summary>The run finished (or help was shown).</summary>
    public const int Success = 0;

    /// <summary>The run failed while executing (solver, I/O or numerical error).</summary>
    public const int Failure = 1;

    /// <summary>The command line or configuration is invalid (unknown key, wrong type, unknown problem/algorithm/pretrain).</summary>
    public const int Usage = 2;
}
