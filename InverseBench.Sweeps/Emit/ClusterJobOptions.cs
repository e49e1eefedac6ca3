namespace InverseBench.Sweeps.Emit;

/// <summary>What a cluster job needs besides the manifest.</summary>
public sealed record ClusterJobOptions
{
    /// <summary>The manifest path as the job sees it (on the cluster's shared file system / in the container).</summary>
    public required string ManifestPath { get; init; }

    /// <summary>The command that starts the CLI (default <c>inversebench</c>; e.g. <c>dotnet /opt/ib/inversebench.dll</c>).</summary>
    public string Command { get; init; } = "inversebench";

    /// <summary>The results store the trials write to (set as <c>INVERSEBENCH_RESULTS</c>); null keeps the manifest's.</summary>
    public string? Results { get; init; }

    /// <summary>Job name (default: the sweep name, made safe).</summary>
    public string? Name { get; init; }

    /// <summary>Trials running at once (Slurm <c>%N</c> throttle / Kubernetes <c>parallelism</c>); null = no limit / all.</summary>
    public int? Parallelism { get; init; }

    /// <summary>GPUs per trial (Slurm <c>--gres=gpu:N</c> / <c>nvidia.com/gpu</c>).</summary>
    public int Gpus { get; init; }

    /// <summary>CPU cores per trial.</summary>
    public int Cpus { get; init; } = 4;

    /// <summary>Memory per trial in GiB.</summary>
    public int MemoryGiB { get; init; } = 16;

    /// <summary>Time limit per trial (Slurm <c>--time</c> / Kubernetes <c>activeDeadlineSeconds</c> of the pod).</summary>
    public TimeSpan TimeLimit { get; init; } = TimeSpan.FromHours(4);

    /// <summary>Slurm partition, or null.</summary>
    public string? Partition { get; init; }

    /// <summary>Slurm log folder (default <c>logs</c>).</summary>
    public string LogDirectory { get; init; } = "logs";

    /// <summary>Container image (Kubernetes).</summary>
    public string Image { get; init; } = "inversebench:latest";

    /// <summary>PersistentVolumeClaim mounted at <see cref="VolumePath"/> for manifests, experiment folders and a SQLite store (Kubernetes).</summary>
    public string VolumeClaim { get; init; } = "inversebench-results";

    /// <summary>Mount path of the results volume, also the container's working directory (Kubernetes).</summary>
    public string VolumePath { get; init; } = "/results";

    /// <summary>Retries per index before it counts as failed (Kubernetes <c>backoffLimitPerIndex</c>).</summary>
    public int RetriesPerIndex { get; init; } = 2;
}
