using System.Globalization;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Configuration;
using InverseBench.Core.DependencyInjection;
using InverseBench.Core.IO.Lmdb;
using InverseBench.Evaluation.NavierStokes;
using InverseBench.Operators.NavierStokes.Data;
using InverseBench.Operators.NavierStokes.Functional;
using InverseBench.Operators.NavierStokes.Internal;
using static TorchSharp.torch;

using InverseBench.Operators.NavierStokes;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Navier–Stokes problem (<c>navier-stokes</c>) with dependency injection and the CLI.</summary>
public static class NavierStokesServiceCollectionExtensions
{
    /// <summary>
    /// Adds the <c>navier-stokes</c> problem: the config-driven <see cref="Factory"/> (the reference's <c>model</c> and
    /// <c>data</c> keys, for the CLI) and typed named options for dependency injection — <see cref="NavierStokesOptions"/>
    /// (bound from <c>InverseBench:Problems:navier-stokes</c>, then <paramref name="configure"/>) and the LMDB test-set
    /// <see cref="LmdbDatasetOptions"/> (<c>InverseBench:Problems:navier-stokes:Data</c>, then <paramref name="configureData"/>),
    /// both validated when a run is created. Runs created by <see cref="IRunFactory"/> get a new operator on the container's
    /// device and own it. Idempotent.
    /// </summary>
    /// <param name="builder">The InverseBench builder.</param>
    /// <param name="configure">Changes the operator options (defaults: the reference's navier-stokes.yaml).</param>
    /// <param name="configureData">Changes the test-set options (defaults: root <c>../data/navier-stokes-test</c>, ...).</param>
    public static IInverseBenchBuilder AddNavierStokes(this IInverseBenchBuilder builder, Action<NavierStokesOptions>? configure = null,
        Action<LmdbDatasetOptions>? configureData = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddLmdbProblemFactory<NavierStokesOptions>(Factory, (o, device) => new NavierStokesOperator(o, device), configure, o => o.Validate(),
            ApplyDatasetDefaults, configureData);
    }

    private static void ApplyDatasetDefaults(LmdbDatasetOptions o)
    {
        o.Root = NavierStokesDefaults.DataRoot;
        o.Resolution = NavierStokesDefaults.Resolution;
        o.Mean = NavierStokesDefaults.DataMean;
        o.Std = NavierStokesDefaults.DataStd;
        o.IdList = NavierStokesDefaults.DataIdList;
    }

    /// <summary>The config-driven factory of the problem.</summary>
    public static ProblemFactory Factory { get; } = new(
        NavierStokesProblemNames.NavierStokes,
        (model, device) => new NavierStokesOperator(OptionsFromConfig(model), device),
        (data, op) => new LmdbDataset(DatasetOptionsFromConfig(data)),
        (op, seed, count) => new SyntheticNavierStokesDataset(
            new SyntheticNavierStokesOptions
            {
                Count = count,
                Resolution = (int)op.SignalShape[^1],
                Std = op.UnnormScale / 2,
            },
            new Generator((ulong)seed)),
        _ => new NavierStokesEvaluator());

    /// <summary>
    /// Reads the operator settings from a <c>model</c> section with the reference keys: <c>forward_time</c>, <c>Re</c>,
    /// <c>resolution</c>, <c>downsample_factor</c>, <c>sigma_noise</c>, <c>unnorm_scale</c>, <c>unnorm_shift</c>,
    /// <c>adaptive</c>, <c>delta_t</c>, <c>L</c>, <c>dtype</c> (<c>float32</c>/<c>float64</c>, <c>torch.</c> prefix allowed),
    /// plus the port's <c>time_step_mode</c> (<c>per_sample</c> | <c>shared_across_batch</c>) and <c>enable_gradient</c>.
    /// <c>_target_</c> is accepted and ignored.
    /// </summary>
    public static NavierStokesOptions OptionsFromConfig(ConfigSection model)
    {
        ArgumentNullException.ThrowIfNull(model);
        model.Raw("_target_");
        var o = new NavierStokesOptions
        {
            ForwardTime = model.Get("forward_time", NavierStokesDefaults.ForwardTime),
            Reynolds = model.Get("Re", NavierStokesDefaults.Reynolds),
            Resolution = model.Get("resolution", NavierStokesDefaults.Resolution),
            DownsampleFactor = model.Get("downsample_factor", NavierStokesDefaults.DownsampleFactor),
            SigmaNoise = model.Get("sigma_noise", NavierStokesDefaults.SigmaNoise),
            UnnormScale = model.Get("unnorm_scale", NavierStokesDefaults.UnnormScale),
            UnnormShift = model.Get("unnorm_shift", NavierStokesDefaults.UnnormShift),
            Adaptive = model.Get("adaptive", NavierStokesDefaults.Adaptive),
            DeltaT = model.Get("delta_t", NavierStokesDefaults.DeltaT),
            Length = model.Get("L", NavierStokesDefaults.Length),
            TimeStepMode = model.Get("time_step_mode", TimeStepMode.PerSample),
            EnableGradient = model.Get("enable_gradient", false),
            MaxSolverSteps = model.Has("max_solver_steps") ? model.Get("max_solver_steps", 0) : null,
        };
        string dtype = model.Get("dtype", "float32").Trim().ToLowerInvariant();
        if (dtype.StartsWith("torch.", StringComparison.Ordinal)) dtype = dtype["torch.".Length..];
        o.DType = dtype switch
        {
            "float32" or "float" => ScalarType.Float32,
            "float64" or "double" => ScalarType.Float64,
            _ => throw new FormatException($"Configuration key '{(model.Path.Length == 0 ? "" : model.Path + ".")}dtype' must be float32 or float64; got '{dtype}'."),
        };
        o.Validate();
        return o;
    }

    /// <summary>
    /// Reads the dataset settings from a <c>data</c> section with the reference keys: <c>root</c>, <c>resolution</c>,
    /// <c>raw_resolution</c>, <c>num_channels</c>, <c>norm</c>, <c>mean</c>, <c>std</c>, <c>id_list</c> (string such as
    /// <c>0-9</c>, an integer, or a list). Defaults are the Navier–Stokes config's (<c>std</c> 5, <c>id_list</c> 0-9).
    /// </summary>
    public static LmdbDatasetOptions DatasetOptionsFromConfig(ConfigSection data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var defaults = new LmdbDatasetOptions();
        ApplyDatasetDefaults(defaults);
        return LmdbDatasetOptions.FromConfig(data, defaults);
    }
}
