using System.Globalization;
using System.Security.Cryptography;

namespace InverseBench.Core.Running;

/// <summary>Builds the provenance strings recorded in result files (<see cref="RunProvenance"/>).</summary>
public static class ProvenanceText
{
    /// <summary>Files larger than this (64 MiB) are identified by their size plus the hash of their first and last 8 MiB, so
    /// that recording the provenance of a multi-gigabyte data set costs milliseconds, not a full read.</summary>
    public const long FullHashLimit = 64L << 20;

    private const int PartialBytes = 8 << 20;

    /// <summary><c>&lt;kind&gt; &lt;full path&gt; (sha256 &lt;hex&gt;)</c> of a file, or of every file of a folder (sorted by name).</summary>
    /// <param name="kind">What the path is, e.g. <c>lmdb</c> or <c>checkpoint</c>.</param>
    /// <param name="path">A file or a folder.</param>
    public static string Of(string kind, string path)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        return $"{kind} {full} (sha256 {Sha256(full)})";
    }

    /// <summary>
    /// The SHA-256 (hex) of a file's bytes; of a folder, over its files' relative names and contents in ordinal order. Files
    /// above <see cref="FullHashLimit"/> contribute their length and their first and last 8 MiB only (the recorded text still
    /// says <c>sha256</c>: it identifies the data, it does not prove their integrity).
    /// </summary>
    public static string Sha256(string path)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        if (Directory.Exists(path))
        {
            foreach (string file in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                sha.AppendData(System.Text.Encoding.UTF8.GetBytes(Path.GetRelativePath(path, file) + "\n"));
                AppendFile(sha, file);
            }
        }
        else
        {
            AppendFile(sha, path);
        }

        return Convert.ToHexString(sha.GetHashAndReset()).ToLowerInvariant();
    }

    private static void AppendFile(IncrementalHash sha, string file)
    {
        using var stream = File.OpenRead(file);
        if (stream.Length <= FullHashLimit)
        {
            var buffer = new byte[1 << 20];
            int n;
            while ((n = stream.Read(buffer, 0, buffer.Length)) > 0) sha.AppendData(buffer, 0, n);
            return;
        }

        sha.AppendData(System.Text.Encoding.UTF8.GetBytes(stream.Length.ToString(CultureInfo.InvariantCulture)));
        var part = new byte[PartialBytes];
        stream.ReadExactly(part);
        sha.AppendData(part);
        stream.Seek(-PartialBytes, SeekOrigin.End);
        stream.ReadExactly(part);
        sha.AppendData(part);
    }
}
