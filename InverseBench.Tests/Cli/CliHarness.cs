using InverseBench.Cli;
using InverseBench.Core.Abstractions;
using InverseBench.Core.DependencyInjection;
using InverseBench.Tests.Core.Fakes;
using Spectre.Console;

namespace InverseBench.Tests.Cli;

/// <summary>Runs the CLI in-process with captured output, a temporary config folder and toy components.</summary>
public sealed class CliHarness : IDisposable
{
    public const string ToyProblem = "toy-mask";
    public const string ToySolver = "toy-wiener";

    public CliHarness()
    {
        Root = Path.Combine(Path.GetTempPath(), "ib-cli-" + Guid.NewGuid().ToString("N")[..8]);
        ConfigDir = Path.Combine(Root, "configs");
        CopyDirectory(Path.Combine(AppContext.BaseDirectory, "configs"), ConfigDir);
        File.WriteAllText(Path.Combine(ConfigDir, "problem", ToyProblem + ".yaml"), """
            name: toy-mask-8
            prior: checkpoints/does-not-exist.pt
            model:
              _target_: toy.MaskOperator
              n: 8
              sigma_noise: 0.01
            data:
              _target_: toy.Dataset
              root: data/does-not-exist
              id_list: 0-2
            evaluator:
              _target_: toy.MseEvaluator
            exp_dir: exps/inference/toy-mask-8
            """);
        File.WriteAllText(Path.Combine(ConfigDir, "algorithm", ToySolver + ".yaml"), """
            name: ToyWiener
            method:
              _target_: toy.WienerSolver
              num_steps: 4
              prior_sigma: 0.5
            """);
        ExpRoot = Path.Combine(Root, "exps");
    }

    public string Root { get; }

    public string ConfigDir { get; }

    public string ExpRoot { get; }

    /// <summary>The experiment folder of the toy problem for <paramref name="expName"/>.</summary>
    public string ExperimentDir(string expName = "default") => Path.Combine(ExpRoot, "toy-mask-8", "ToyWiener", expName);

    public string Output { get; private set; } = string.Empty;

    /// <summary>Runs <c>inversebench run</c> on the toy problem with extra overrides; returns the exit code.</summary>
    public int RunToy(params string[] overrides) =>
        Run(["run", "--config-dir", ConfigDir, "problem=" + ToyProblem, "algorithm=" + ToySolver, "exp_dir=" + ExpRoot, .. overrides]);

    /// <summary>Runs the CLI with raw arguments and the toy registrations.</summary>
    public int Run(params string[] args) => RunOn(interactive: false, args);

    /// <summary>Runs the CLI with only its default components (real problems, solvers and priors), output redirected.</summary>
    public int RunDefaults(params string[] args) => RunOn(false, null, args);

    public int RunOn(bool interactive, params string[] args) => RunOn(interactive, Register, args);

    /// <summary>Runs the CLI on a console that is interactive with ANSI support (live display) or redirected (plain lines).</summary>
    public int RunOn(bool interactive, Action<InverseBench.Core.DependencyInjection.IInverseBenchBuilder>? configure, params string[] args)
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = interactive ? AnsiSupport.Yes : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Standard : ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Yes : InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = 200;
        int code = Program.Run(args, configure, console);
        Output = writer.ToString();
        TestContext.Out.WriteLine(Output);
        return code;
    }

    public static void Register(IInverseBenchBuilder builder)
    {
        builder.AddProblemFactory(new ProblemFactory(
            ToyProblem,
            (model, device) => new MaskOperator(model.Get("n", 4), model.Get("sigma_noise", 0.0)),
            (data, op) => throw new DirectoryNotFoundException("toy problems have no data files"),
            (op, seed, count) => ListDataset.Random(count, (int)op.SignalShape[1], seed),
            _ => new MseEvaluator()));
        builder.AddSolverFactory(new SolverFactory(
            ToySolver,
            s => new WienerSolver(new WienerOptions { Steps = s.Get("num_steps", 3), PriorSigma = s.Get("prior_sigma", 1.0) }),
            SolverRequirements.Of(SolverCapability.Linear).WithPrior()));
        builder.AddPriorFactory(new PriorFactory(
            "gaussian-field",
            (model, checkpoint, device) => new IsotropicGaussianPrior(model.Get("resolution", 4))));
    }

    public void Dispose()
    {
        if (Environment.GetEnvironmentVariable("INVERSEBENCH_KEEP_TEST_OUTPUT") == "1") return; // inspect the files by hand
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        foreach (string dir in Directory.GetDirectories(from)) CopyDirectory(dir, Path.Combine(to, Path.GetFileName(dir)));
    }
}
