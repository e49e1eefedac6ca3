namespace InverseBench.Cli;

/// <summary>The <c>inversebench</c> command-line entry point.</summary>
public static class Program
{
    /// <summary>Runs the CLI.</summary>
    public static int Main(string[] args)
    {
        Console.WriteLine(InverseBench.Core.Runtime.TorchRuntime.EnsureInitialized());
        return 0;
    }
}
