namespace InverseBench.Core.Checkpoints;

/// <summary>
/// A checkpoint file could not be read, or its state dict does not fit the target network. The message names the file and
/// lists every missing, unexpected and shape-mismatched key.
/// </summary>
public sealed class CheckpointException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CheckpointException(string message) : base(message) { }

    /// <summary>Creates the exception with an inner exception.</summary>
    public CheckpointException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception.</summary>
    public CheckpointException() { }

    /// <summary>Creates a key-mismatch exception.</summary>
    public CheckpointException(string filePath, IReadOnlyList<string> missing, IReadOnlyList<string> unexpected, IReadOnlyList<string> shapeMismatches)
        : base(Describe(filePath, missing, unexpected, shapeMismatches))
    {
        FilePath = filePath;
        MissingKeys = missing;
        UnexpectedKeys = unexpected;
        ShapeMismatches = shapeMismatches;
    }

    /// <summary>The file concerned, when known.</summary>
    public string? FilePath { get; init; }

    /// <summary>Keys the network has but the checkpoint lacks.</summary>
    public IReadOnlyList<string> MissingKeys { get; } = [];

    /// <summary>Keys the checkpoint has but the network lacks.</summary>
    public IReadOnlyList<string> UnexpectedKeys { get; } = [];

    /// <summary>Keys present on both sides with different shapes, as <c>key: checkpoint [..] vs network [..]</c>.</summary>
    public IReadOnlyList<string> ShapeMismatches { get; } = [];

    private static string Describe(string file, IReadOnlyList<string> missing, IReadOnlyList<string> unexpected, IReadOnlyList<string> shapes)
    {
        var sb = new System.Text.StringBuilder();
        sb.Append("Checkpoint '").Append(file).Append("' does not match the network (")
          .Append(missing.Count).Append(" missing, ").Append(unexpected.Count).Append(" unexpected, ")
          .Append(shapes.Count).Append(" shape-mismatched keys). Is the preset/architecture right?");
        if (missing.Count > 0) sb.Append(Environment.NewLine).Append("Missing keys: ").Append(string.Join(", ", missing));
        if (unexpected.Count > 0) sb.Append(Environment.NewLine).Append("Unexpected keys: ").Append(string.Join(", ", unexpected));
        if (shapes.Count > 0) sb.Append(Environment.NewLine).Append("Shape mismatches: ").Append(string.Join("; ", shapes));
        return sb.ToString();
    }
}
