using System.Globalization;
using InverseBench.Core.Running;

namespace InverseBench.Cli.Running;

/// <summary>
/// The run's log, like the reference's <c>create_logger</c>: each line <c>[yyyy-MM-dd HH:mm:ss] message</c> goes to the
/// console and to <c>log.txt</c> in the experiment folder (lines written before the folder is known are kept and written
/// when it opens).
/// </summary>
public sealed class RunLog : IDisposable
{
    private readonly List<string> _pending = [];
    private StreamWriter? _file;

    /// <summary>Where lines are shown; replaced by the live display while it runs.</summary>
    public IRunObserver? Observer { get; set; }

    /// <summary>Console output for lines before any observer exists.</summary>
    public required Action<string> Fallback { get; init; }

    /// <summary>Starts writing to <paramref name="path"/> (appending, as reruns of an experiment add to its log).</summary>
    public void Open(string path)
    {
        _file = new StreamWriter(path, append: true) { AutoFlush = true };
        foreach (string line in _pending) _file.WriteLine(line);
        _pending.Clear();
    }

    /// <summary>Logs a line.</summary>
    public void Info(string message)
    {
        string line = "[" + DateTime.Now.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + "] " + message;
        if (_file is null) _pending.Add(line);
        else _file.WriteLine(line);
        if (Observer is not null) Observer.Info(line);
        else Fallback(line);
    }

    /// <inheritdoc />
    public void Dispose() => _file?.Dispose();
}
