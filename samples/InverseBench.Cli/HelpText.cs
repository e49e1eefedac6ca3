using InverseBench.Core.DependencyInjection;
using InverseBench.Cli.Configuration;
using InverseBench.Cli.Running;
using Spectre.Console;

namespace InverseBench.Cli;

/// <summary>The text of <c>--help</c>, <c>run --help</c> and <c>list</c>.</summary>
public static class HelpText
{
    /// <summary>General help.</summary>
    public static void Write(IAnsiConsole console, string configDirectory)
    {
        ArgumentNullException.ThrowIfNull(console);
        console.Profile.Out.Writer.WriteLine("""
            inversebench - InverseBench.NET: diffusion-prior solvers on scientific inverse problems

            Usage:
              inversebench run [--config-dir DIR] [-m] [--cfg job] [--verbose] [group=option ...] [key.sub=value ...]
              inversebench list [--config-dir DIR]     problems, algorithms, pretrains and what is registered
              inversebench train pretrain=NAME [key.sub=value ...]   train a diffusion prior (configs/pretrain keys)
              inversebench sweep plan|run|emit ...     hyper-parameter sweeps (see inversebench sweep --help)
              inversebench report [--results URI]      tables and figures of the recorded runs (see report --help)
              inversebench --help | run --help

            Commands:
              run    solve every test sample of a problem with an algorithm and evaluate it (the reference's main.py)
              list   show the configs shipped with the CLI and the registered components
              train  train the network of configs/pretrain/NAME.yaml (the reference's train.py); outputs in
                     <log.exp_dir>/<log.exp_name>/: ckpts/ckpt_<N>.pt, loss.csv, loss.png; train.resume=latest|<file>
              sweep  plan a sweep file (configs/sweep/<problem>/<algorithm>.yaml) into a manifest, run its trials, emit Slurm/Kubernetes jobs
              report paper-style tables (Markdown, CSV, LaTeX) and figures of the results store
              Every run is recorded in a results store: results=URI (sqlite:///path.db or postgres://...), default results.db
              beside the experiments folder; results=none turns it off.

            """);
        WriteRunBody(console, configDirectory);
    }

    /// <summary>Help of the <c>run</c> command.</summary>
    public static void WriteRun(IAnsiConsole console, string configDirectory)
    {
        ArgumentNullException.ThrowIfNull(console);
        console.Profile.Out.Writer.WriteLine("Usage: inversebench run [--config-dir DIR] [problem=NAME] [algorithm=NAME] [pretrain=NAME] [key.sub=value ...]");
        console.Profile.Out.Writer.WriteLine();
        WriteRunBody(console, configDirectory);
    }

    /// <summary>Help of the <c>sweep</c> command.</summary>
    public static void WriteSweep(IAnsiConsole console)
    {
        ArgumentNullException.ThrowIfNull(console);
        console.Profile.Out.Writer.WriteLine("""
            Usage:
              inversebench sweep plan SWEEP.yaml [--count N] [--seed S] [--out FILE] [--results URI] [--config-dir DIR] [key=value ...]
                  reads a wandb sweep file as the reference ships it (configs/sweep/<problem>/<algorithm>.yaml: method grid/random/bayes,
                  metric + goal, parameters with values/value/distribution+min/max, nested keys) and writes a manifest: one trial per
                  line with its full override list and its id (SHA-256 of the resolved configuration). grid: every combination;
                  random: --count seeded draws; bayes: --count suggestions of a Tree-structured Parzen Estimator over the finished
                  trials of the sweep in the results store (seeded; plan again after running to continue the search).
                  key=value overrides are added after the sweep's command (e.g. a smaller problem); swept parameters win.
              inversebench sweep run MANIFEST [--index N | --workers K] [--lease SECONDS] [--results URI] [--config-dir DIR]
                  --index N runs trial N (default: $SLURM_ARRAY_TASK_ID or $JOB_COMPLETION_INDEX; without any, every trial in turn);
                  --workers K runs the unfinished trials in K local processes (inversebench sweep run MANIFEST --index N).
                  Idempotent: a finished trial is skipped, a trial held by a live worker is skipped, a trial whose worker died
                  (lease of --lease seconds ran out, default 60, or its process on this host is gone) is taken over and resumed
                  from the samples already saved in its experiment folder.
              inversebench sweep emit slurm|k8s MANIFEST [--out FILE] [--command CMD] [--gpus N] [--cpus N] [--memory GIB]
                  [--time HH:MM:SS] [--parallelism N] [--partition P] [--image IMAGE] [--volume-claim PVC] [--manifest-path PATH]
                  [--results URI] [--name NAME]
                  writes an sbatch array script (--array=0-(N-1)) or a Kubernetes Indexed Job (completions N) whose task i runs
                  `CMD sweep run MANIFEST --index i`.
              Results store: results=URI or --results URI, else $INVERSEBENCH_RESULTS, else the manifest's, else results.db beside the
              experiments folder. PostgreSQL (postgres://user:password@host:port/db) for workers on several machines.
            """);
    }

    /// <summary>Help of the <c>report</c> command.</summary>
    public static void WriteReport(IAnsiConsole console)
    {
        ArgumentNullException.ThrowIfNull(console);
        console.Profile.Out.Writer.WriteLine("""
            Usage: inversebench report [--results URI] [--sweep NAME] [--metric NAME] [--out DIR]
              Prints one row per problem x algorithm: mean ± std over the test samples of the best finished trial (by --metric,
              default psnr), the best per problem in bold, time per sample, NFE, forward evaluations, and how many trials
              finished, failed or are missing; then one row per sweep with its best trial. Writes report.md, report.csv,
              report.tex and figures/*.png (metric vs wall time with marker area = forward evaluations; metric vs each swept
              parameter) to --out (default: reports/ beside the store). Default store: ./results.db.
            """);
    }

    /// <summary>The <c>list</c> command.</summary>
    public static void WriteList(IAnsiConsole console, string configDirectory, IInverseBenchRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(registry);
        console.Profile.Out.Writer.WriteLine("Config folder: " + configDirectory);
        var table = new Table().AddColumn("group").AddColumn("config files").AddColumn("registered components");
        table.AddRow("problem", Join(MarkRunnable(configDirectory, "problem", registry, ComponentKind.Problem)), Join(registry.Names(ComponentKind.Problem)));
        table.AddRow("algorithm", Join(MarkRunnable(configDirectory, "algorithm", registry, ComponentKind.Solver)), Join(registry.Names(ComponentKind.Solver)));
        table.AddRow("pretrain", Join(ConfigComposer.Options(configDirectory, "pretrain")), Join(registry.Names(ComponentKind.Prior)));
        console.Write(table);
        console.Profile.Out.Writer.WriteLine("Configs marked '(not runnable)' have no registered component (by file name or their 'name' key) in this build;");
        console.Profile.Out.Writer.WriteLine("running one fails with 'not available: registered ... are ...'.");
        console.Profile.Out.Writer.WriteLine("Not shipped: the reference's algorithm configs diffpir_gsg and en_sgs, which have no solver in the reference either");
        console.Profile.Out.Writer.WriteLine("(it has no algo/diffpir_gsg.py or algo/en_sgs.py).");
    }

    /// <summary>The solvers' reference-quirk keys (<c>algorithm.method.&lt;key&gt;</c>), from the library's list.</summary>
    private static void WriteQuirkKeys(TextWriter w)
    {
        w.WriteLine();
        w.WriteLine("Reference quirks (+algorithm.method.<key>=<value>, + as the keys are not in the yaml; first value = default; reference_compatible=true sets the reference's):");
        foreach (var (solver, key, values, meaning) in InverseBench.Algorithms.Common.ReferenceCompatibility.QuirkKeys)
            w.WriteLine($"  {solver,-8} {key,-34} {values,-34} {meaning}");
        w.WriteLine("Problem quirks that reference_compatible=true also turns on (problem.<section>.<key>):");
        foreach (var (problem, section, key, value) in ConfigComponents.ProblemQuirkKeys)
            w.WriteLine($"  {problem,-10} {section + "." + key,-40} {(value is bool b ? (b ? "true" : "false") : value)}");
    }

    /// <summary>
    /// The config files of <paramref name="group"/>, each marked <c>(not runnable)</c> when no registered component of
    /// <paramref name="kind"/> matches its file name or its <c>name</c> key (the rule of <see cref="ConfigComponents"/>).
    /// </summary>
    private static IEnumerable<string> MarkRunnable(string configDirectory, string group, IInverseBenchRegistry registry, ComponentKind kind)
    {
        var names = registry.Names(kind);
        foreach (string option in ConfigComposer.Options(configDirectory, group))
        {
            string? configName = null;
            try
            {
                string path = Path.Combine(configDirectory, group, option + ".yaml");
                configName = ConfigNode.ParseDocument(File.ReadAllText(path), path).GetValueOrDefault("name") as string;
            }
            catch (Exception ex) when (ex is IOException or FormatException or UnauthorizedAccessException)
            {
                // An unreadable config cannot run either; it is marked below.
            }

            // ConfigComponents matches a solver's 'name' key case-insensitively and a problem's exactly.
            var comparison = kind == ComponentKind.Solver ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
            bool runnable = names.Contains(option) || names.Any(n => string.Equals(n, configName, comparison));
            yield return runnable ? option : option + " (not runnable)";
        }
    }

    private static string Join(IEnumerable<string> names)
    {
        var list = names.ToList();
        return list.Count == 0 ? "(none)" : Markup.Escape(string.Join(", ", list));
    }

    private static void WriteRunBody(IAnsiConsole console, string configDirectory)
    {
        var w = console.Profile.Out.Writer;
        w.WriteLine($"""
            Configuration (Hydra style, same file names and keys as the reference's configs/ tree):
              {configDirectory}/config.yaml             top-level keys and the defaults list (pretrain, problem, algorithm)
              {configDirectory}/problem/<name>.yaml     name, prior (checkpoint), model (operator), data, evaluator, exp_dir
              {configDirectory}/algorithm/<name>.yaml   name, method (solver options)
              {configDirectory}/pretrain/<name>.yaml    model (network architecture of the checkpoint)
              group=option     selects a file, e.g. problem=inv-scatter algorithm=dps pretrain=inv-scatter
              a.b.c=value      overrides a key that exists, e.g. problem.model.forward_time=0.5 algorithm.method.num_steps=5
              +a.b.c=value     adds a key that does not exist yet
              ~a.b.c           deletes a key (~a.b.c=value deletes it only when it has that value)
              -m, --multirun   runs every combination of comma-separated values (key=a,b seed=0,1: 4 jobs, one after
                               another, exp_name <exp_name>-<job>); protect list commas with brackets: id_list=[0,1]
              --cfg job        prints the resolved configuration and exits without running
              --verbose        shows stack traces of errors and the engine's log (Information level)
              Values are YAML: 5, 0.5, 1e-3, true, null, [100, 200], 'quoted text'. {"${a.b}"} interpolation as in the reference.
              --config-dir DIR uses another configs folder (default: the configs/ folder next to the executable).
              Unknown keys and values of the wrong type are errors that list the valid keys and suggest the closest
              ("did you mean ...?"), exit code 2.

            Top-level keys:
            """);
        foreach (var (key, def, meaning) in RunSettings.TopLevelKeys) w.WriteLine($"  {key,-20} {def,-8} {meaning}");
        WriteQuirkKeys(w);
        w.WriteLine($"""

            Config names:
              problem:   {string.Join(", ", ConfigComposer.Options(configDirectory, "problem"))}
              algorithm: {string.Join(", ", ConfigComposer.Options(configDirectory, "algorithm"))}
              pretrain:  {string.Join(", ", ConfigComposer.Options(configDirectory, "pretrain"))}
              (`inversebench list` shows which of them are implemented in this build.)

            Embedded defaults (everything runs with no download):
              - When problem.data.root does not exist, the CLI says so and draws synthetic test samples from the problem's own
                generator (as many as problem.data.id_list has entries, seeded by seed).
              - When the checkpoint problem.prior does not exist (or problem.prior=null), the CLI says so and uses the analytic
                Gaussian-random-field prior 'gaussian-field' (an exact Wiener-filter denoiser) at the problem's channels and
                resolution, instead of the pretrained network of pretrain.model.

            Outputs (in <exp root>/<algorithm.name>/<exp_name>/, exp root = problem.exp_dir, relative to the current folder):
              run.json                         fingerprint of the configuration, seed, data and prior provenance, version
              config.yaml                      the resolved configuration (header: data and prior provenance, version)
              log.txt                          the log ([time] message lines, appended by reruns)
              result_<id>_observation.npy      observation [1, ..measurement] (complex when the problem is)
              result_<id>_reconstruction.npy   reconstructions [num_samples, ..signal], physical units
              result_<id>_target.npy           target [1, ..signal], physical units
              result_<id>_metrics.json         metrics of the sample, solve time and evaluation counts
              result_<id>.png                  target | reconstruction | |error| | observation, each with a colour bar
              metrics.json, metrics.csv        mean and population std per metric; samples.csv: one row per sample
              Every file is written atomically; a sample is finished when its metrics JSON exists (written last).
              A rerun skips finished samples (their saved results are reused) unless overwrite=true; a rerun whose
              configuration differs (other than exp_name, exp_dir, overwrite, inference, id_list) refuses to mix results:
              use a new exp_name or overwrite=true. inference=false re-evaluates the saved results without solving.
              Seeding: test sample <id> uses its own generator seeded from (seed, id), so results do not depend on
              id_list, order or resumption, and equal what the library's fluent API computes for the same settings.

            Examples:
              inversebench run problem=navier-stokes algorithm=enkg pretrain=navier-stokes
              inversebench run problem=navier-stokes algorithm=enkg problem.model.resolution=64 problem.data.id_list=0-1 \
                  algorithm.method.num_steps=10 algorithm.method.num_samples=64 exp_name=quick
              inversebench run problem=inv-scatter algorithm=dps pretrain=inv-scatter problem.model.numRec=180 seed=1
              inversebench run problem=navier-stokes algorithm=enkg exp_name=quick inference=false
              inversebench run problem=inv-scatter algorithm=daps device=cuda num_samples=4 overwrite=true

            Exit codes: 0 success, 1 run failure, 2 invalid command line or configuration.
            """);
    }
}
