using System.Diagnostics;
using System.Text.RegularExpressions;
using InverseBench.Sweeps.Emit;
using InverseBench.Sweeps.Planning;
using YamlDotNet.RepresentationModel;

namespace InverseBench.Tests.Sweeps;

[TestFixture]
public sealed class ClusterJobWriterTests
{
    private static SweepManifest Manifest(int trials) => new SweepPlanner().Plan(
        SweepFile.Parse($"name: My Sweep_1\nmethod: grid\nmetric: {{name: psnr}}\nparameters: {{algorithm.method.x: {{min: 1, max: {trials}}}}}", "s.yaml"),
        new SweepPlanOptions());

    [Test]
    public void Slurm_NamesTheArrayRangeResourcesAndThrottle()
    {
        var manifest = Manifest(5);

        string script = ClusterJobWriter.Slurm(manifest, new ClusterJobOptions
        {
            ManifestPath = "/shared/sweeps/m.json", Gpus = 1, Cpus = 8, MemoryGiB = 32, TimeLimit = TimeSpan.FromMinutes(90), Partition = "gpu",
            Parallelism = 2, Results = "postgres://ib@db:5432/results",
        });

        var directives = script.Split('\n').Where(l => l.StartsWith("#SBATCH ", StringComparison.Ordinal))
            .Select(l => l["#SBATCH ".Length..].Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1]);
        script.Should().StartWith("#!/bin/bash\n");
        directives["--array"].Should().Be("0-4%2");
        directives["--job-name"].Should().Be("sweep-my-sweep-1");
        directives["--gres"].Should().Be("gpu:1");
        directives["--cpus-per-task"].Should().Be("8");
        directives["--mem"].Should().Be("32G");
        directives["--time"].Should().Be("01:30:00");
        directives["--partition"].Should().Be("gpu");
        directives["--output"].Should().Be("logs/%x-%A_%a.out");
        script.Should().Contain("export INVERSEBENCH_RESULTS=postgres://ib@db:5432/results\n");
    }

    [Test]
    public void Slurm_EachArrayTaskRunsItsOwnTrial()
    {
        if (OperatingSystem.IsWindows()) Assert.Ignore("runs the script with bash");
        var manifest = Manifest(3);
        string folder = Directory.CreateTempSubdirectory("ib-slurm-").FullName;
        try
        {
            // The CLI replaced by a command that prints its arguments one per line; the path has a space to check the quoting.
            string fake = Path.Combine(folder, "fake cli");
            File.WriteAllText(fake, "#!/bin/bash\nprintf '%s\\n' \"$@\"\n");
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            string script = ClusterJobWriter.Slurm(manifest, new ClusterJobOptions
            {
                ManifestPath = "/shared/my sweeps/m.json", Command = "'" + fake + "'", LogDirectory = Path.Combine(folder, "logs"),
            });
            string path = Path.Combine(folder, "job.sbatch");
            File.WriteAllText(path, script);

            for (int index = 0; index < manifest.Trials.Count; index++)
            {
                var info = new ProcessStartInfo("bash", [path]) { RedirectStandardOutput = true, UseShellExecute = false };
                info.Environment["SLURM_ARRAY_TASK_ID"] = index.ToString(System.Globalization.CultureInfo.InvariantCulture);
                using var process = Process.Start(info)!;
                string output = process.StandardOutput.ReadToEnd();
                process.WaitForExit();

                process.ExitCode.Should().Be(0);
                output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().Equal("sweep", "run", "/shared/my sweeps/m.json", "--index", index.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public void Kubernetes_IsAnIndexedJob_WithCompletionsResourcesVolumeAndTheCommandPerIndex()
    {
        var manifest = Manifest(4);

        string yaml = ClusterJobWriter.Kubernetes(manifest, new ClusterJobOptions
        {
            ManifestPath = "/results/m.json", Command = "dotnet /app/inversebench.dll", Image = "registry.example/ib:1.2", Gpus = 2, Cpus = 6,
            MemoryGiB = 24, TimeLimit = TimeSpan.FromHours(2), Parallelism = 3, Results = "postgres://ib@db/results", VolumeClaim = "ib-data",
        });

        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var job = (YamlMappingNode)stream.Documents.Single().RootNode;
        Text(job, "apiVersion").Should().Be("batch/v1");
        Text(job, "kind").Should().Be("Job");
        Text(job, "metadata", "name").Should().MatchRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$").And.Be("sweep-my-sweep-1");
        var spec = Map(job, "spec");
        Text(spec, "completionMode").Should().Be("Indexed");
        Text(spec, "completions").Should().Be("4");
        Text(spec, "parallelism").Should().Be("3");
        Text(spec, "backoffLimitPerIndex").Should().Be("2");
        var pod = Map(spec, "template", "spec");
        Text(pod, "restartPolicy").Should().Be("Never");
        Text(pod, "activeDeadlineSeconds").Should().Be("7200");
        var container = (YamlMappingNode)((YamlSequenceNode)pod.Children["containers"]).Children.Single();
        Text(container, "image").Should().Be("registry.example/ib:1.2");
        Text(container, "resources", "requests", "nvidia.com/gpu").Should().Be("2");
        Text(container, "resources", "limits", "nvidia.com/gpu").Should().Be("2");
        Text(container, "resources", "requests", "cpu").Should().Be("6");
        Text(container, "resources", "requests", "memory").Should().Be("24Gi");
        var env = ((YamlSequenceNode)container.Children["env"]).Children.Cast<YamlMappingNode>().ToDictionary(e => Text(e, "name"), e => Text(e, "value"));
        env["INVERSEBENCH_RESULTS"].Should().Be("postgres://ib@db/results");
        var mount = (YamlMappingNode)((YamlSequenceNode)container.Children["volumeMounts"]).Children.Single();
        var volume = (YamlMappingNode)((YamlSequenceNode)pod.Children["volumes"]).Children.Single();
        Text(mount, "name").Should().Be(Text(volume, "name"));
        Text(mount, "mountPath").Should().Be("/results").And.Be(Text(container, "workingDir"));
        Text(volume, "persistentVolumeClaim", "claimName").Should().Be("ib-data");

        // Kubernetes expands $(JOB_COMPLETION_INDEX) in the command from the pod's environment: index i runs trial i.
        var command = ((YamlSequenceNode)container.Children["command"]).Children.Select(c => ((YamlScalarNode)c).Value!).ToList();
        for (int index = 0; index < 4; index++)
        {
            string i = index.ToString(System.Globalization.CultureInfo.InvariantCulture);
            command.Select(c => Regex.Replace(c, @"\$\(JOB_COMPLETION_INDEX\)", i)).Should().Equal("dotnet", "/app/inversebench.dll", "sweep", "run", "/results/m.json", "--index", i);
        }
    }

    [Test]
    public void WithoutGpus_NoGpuIsRequested_AndParallelismIsCappedAtTheTrialCount()
    {
        var manifest = Manifest(2);

        string yaml = ClusterJobWriter.Kubernetes(manifest, new ClusterJobOptions { ManifestPath = "/results/m.json", Parallelism = 10 });
        string script = ClusterJobWriter.Slurm(manifest, new ClusterJobOptions { ManifestPath = "/m.json" });

        yaml.Should().NotContain("nvidia.com/gpu").And.Contain("parallelism: 2");
        script.Should().NotContain("--gres").And.Contain("#SBATCH --array=0-1\n");
    }

    [Test]
    public void BadResources_AreRejected() =>
        FluentActions.Invoking(() => ClusterJobWriter.Slurm(Manifest(2), new ClusterJobOptions { ManifestPath = "/m.json", Cpus = 0 }))
            .Should().Throw<ArgumentException>().WithMessage("*cpus >= 1*");

    private static YamlMappingNode Map(YamlMappingNode node, params string[] path) =>
        path.Aggregate(node, (n, key) => (YamlMappingNode)n.Children[new YamlScalarNode(key)]);

    private static string Text(YamlMappingNode node, params string[] path) =>
        ((YamlScalarNode)Map(node, path[..^1]).Children[new YamlScalarNode(path[^1])]).Value!;
}
