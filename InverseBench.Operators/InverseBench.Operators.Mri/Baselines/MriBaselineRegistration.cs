using InverseBench.Core.Abstractions;
using InverseBench.Core.Configuration;
using InverseBench.Core.DependencyInjection;
using InverseBench.Core.Diffusion;

namespace InverseBench.Operators.Mri.Baselines;

/// <summary>
/// The MRI baseline solvers (<c>cs_mri</c>, <c>csgm_mri</c>, <c>score_mri</c>, <c>e2e_mri</c>) as config-driven factories reading the
/// <c>method</c> keys of the reference's <c>configs/algorithm/*.yaml</c>; registered by <c>AddMri()</c>.
/// </summary>
public static class MriBaselineRegistration
{
    /// <summary>The factory of <c>cs_mri</c> (keys <c>mode</c>, <c>lamda</c>, plus sigpy's <c>max_iter</c>, <c>max_power_iter</c>).</summary>
    public static SolverFactory CsMri { get; } = new(CsMriOptions.SolverName, ReadCsMri, SolverRequirements.Of(SolverCapability.Linear));

    /// <summary>
    /// The factory of <c>csgm_mri</c> (keys <c>sigmas_config.{sigma_dist, sigma_begin, sigma_end, num_steps}</c>,
    /// <c>start_iter</c>, <c>n_steps_each</c>, <c>step_lr</c>, <c>mse</c>, plus the port's <c>switch_iter</c>).
    /// </summary>
    public static SolverFactory CsgmMri { get; } = new(CsgmMriOptions.SolverName, ReadCsgmMri, SolverRequirements.Of(SolverCapability.Gradient).WithPrior());

    /// <summary>
    /// The factory of <c>score_mri</c> (keys <c>scheduler_config.{num_steps, sigma_max, sigma_min, sigma_final, schedule,
    /// timestep, scaling}</c>, <c>correct_steps</c>, <c>lr</c>, <c>lamb</c>).
    /// </summary>
    public static SolverFactory ScoreMri { get; } = new(ScoreMriOptions.SolverName, ReadScoreMri, SolverRequirements.Of(SolverCapability.Gradient).WithPrior());

    /// <summary>
    /// The factory of <c>e2e_mri</c> (key <c>mode</c>, plus the port's <c>checkpoint</c> and <c>model</c>: the constructor keys
    /// of <c>models.e2e.varnet.VarNet</c> — <c>num_cascades, sens_chans, sens_pools, chans, pools, mask_center</c> — or of
    /// <c>models.e2e.unet.ResidualUNet</c> — <c>chans, num_pool_layers, drop_prob</c>).
    /// </summary>
    public static SolverFactory E2eMri { get; } = new(E2eMriOptions.SolverName, ReadE2eMri, SolverRequirements.None);

    /// <summary>Registers the four solvers (idempotent).</summary>
    /// <param name="builder">The InverseBench builder.</param>
    public static IInverseBenchBuilder AddMriBaselines(this IInverseBenchBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddSolverFactory(CsMri);
        builder.AddSolverFactory(CsgmMri);
        builder.AddSolverFactory(ScoreMri);
        builder.AddSolverFactory(E2eMri);
        return builder;
    }

    /// <summary>A CS-MRI solver with the given options.</summary>
    /// <param name="options">Options (validated here).</param>
    public static ISolver CreateCsMri(CsMriOptions options) => new CsMriSolver(options);

    /// <summary>A CSGM-MRI solver with the given options.</summary>
    /// <param name="options">Options (validated here).</param>
    public static ISolver CreateCsgmMri(CsgmMriOptions options) => new CsgmMriSolver(options);

    /// <summary>A Score-MRI solver with the given options.</summary>
    /// <param name="options">Options (validated here).</param>
    public static ISolver CreateScoreMri(ScoreMriOptions options) => new ScoreMriSolver(options);

    /// <summary>An E2E-MRI solver loading its network from <see cref="E2eMriOptions.Checkpoint"/>; dispose it to free the network.</summary>
    /// <param name="options">Options (validated here).</param>
    /// <exception cref="FileNotFoundException">The checkpoint does not exist.</exception>
    /// <exception cref="InverseBench.Core.Checkpoints.CheckpointException">The checkpoint does not match the architecture.</exception>
    public static ISolver CreateE2eMri(E2eMriOptions options) => new E2eMriSolver(options);

    /// <summary>An E2E-MRI solver running an already loaded network (the caller keeps ownership of it).</summary>
    /// <param name="options">Options (validated here; the checkpoint is not read).</param>
    /// <param name="network">The network.</param>
    public static ISolver CreateE2eMri(E2eMriOptions options, E2E.E2EReconstructionNetwork network) => new E2eMriSolver(options, network);

    private static ISolver ReadE2eMri(ConfigSection method)
    {
        method.Raw("_target_");
        var d = new E2eMriOptions();
        var mode = method.Get("mode", "VarNet") switch
        {
            "VarNet" or "varnet" => E2eMriMode.VarNet,
            "UNet" or "unet" or "ResidualUNet" => E2eMriMode.UNet,
            var other => throw new ArgumentException($"algorithm.method.mode must be VarNet or UNet (ResidualUNet); got '{other}'."),
        };
        var model = method.Section("model");
        model.Raw("_target_");
        var options = new E2eMriOptions { Mode = mode, Checkpoint = method.Get<string?>("checkpoint", null) };
        if (mode == E2eMriMode.VarNet)
        {
            options.VarNet = new E2E.E2EVarNetOptions
            {
                Cascades = model.Get("num_cascades", d.VarNet.Cascades),
                SensitivityChannels = model.Get("sens_chans", d.VarNet.SensitivityChannels),
                SensitivityPools = model.Get("sens_pools", d.VarNet.SensitivityPools),
                Channels = model.Get("chans", d.VarNet.Channels),
                Pools = model.Get("pools", d.VarNet.Pools),
                MaskCenter = model.Get("mask_center", d.VarNet.MaskCenter),
            };
        }
        else
        {
            options.UNet = new E2E.E2EResidualUNetOptions
            {
                Channels = model.Get("chans", d.UNet.Channels),
                PoolLayers = model.Get("num_pool_layers", d.UNet.PoolLayers),
                DropProbability = model.Get("drop_prob", d.UNet.DropProbability),
            };
        }

        try
        {
            return new E2eMriSolver(options);
        }
        catch (FileNotFoundException ex)
        {
            throw new ArgumentException(ex.Message + " Set algorithm.method.checkpoint=<file> (a torch.save file with the 'ema' or 'net' state dict).", ex);
        }
    }

    private static ISolver ReadCsMri(ConfigSection method)
    {
        method.Raw("_target_");
        var d = new CsMriOptions();
        return new CsMriSolver(new CsMriOptions
        {
            Mode = method.Get("mode", d.Mode),
            Lambda = method.Get("lamda", d.Lambda),
            Iterations = method.Get("max_iter", d.Iterations),
            PowerIterations = method.Get("max_power_iter", d.PowerIterations),
        });
    }

    private static ISolver ReadCsgmMri(ConfigSection method)
    {
        method.Raw("_target_");
        var d = new CsgmMriOptions();
        var sigmas = method.Section("sigmas_config");
        return new CsgmMriSolver(new CsgmMriOptions
        {
            Distribution = sigmas.Get("sigma_dist", d.Distribution),
            SigmaBegin = sigmas.Get("sigma_begin", d.SigmaBegin),
            SigmaEnd = sigmas.Get("sigma_end", d.SigmaEnd),
            NumSteps = sigmas.Get("num_steps", d.NumSteps),
            StartIteration = method.Get("start_iter", d.StartIteration),
            StepsEach = method.Get("n_steps_each", d.StepsEach),
            SwitchIteration = method.Get("switch_iter", d.SwitchIteration),
            StepLr = method.Get("step_lr", d.StepLr),
            MeasurementWeight = method.Get("mse", d.MeasurementWeight),
        });
    }

    private static ISolver ReadScoreMri(ConfigSection method)
    {
        method.Raw("_target_");
        var d = new ScoreMriOptions();
        var s = method.Section("scheduler_config");
        var schedule = d.Schedule.Clone();
        schedule.NumSteps = s.Get("num_steps", schedule.NumSteps);
        schedule.SigmaMax = s.Get("sigma_max", schedule.SigmaMax);
        schedule.SigmaMin = s.Get("sigma_min", schedule.SigmaMin);
        schedule.SigmaFinal = s.Get<double?>("sigma_final", schedule.SigmaFinal);
        if (s.Has("schedule")) schedule.Schedule = NoiseScheduleOptions.ParseSchedule(s.Get("schedule", "vp"));
        schedule.Timestep = s.Get("timestep", schedule.Timestep);
        if (s.Has("scaling"))
            schedule.Scaling = string.Equals(s.Get("scaling", "vp"), "vp", StringComparison.Ordinal) ? ScalingScheduleKind.Vp : ScalingScheduleKind.None;
        return new ScoreMriSolver(new ScoreMriOptions
        {
            Schedule = schedule,
            CorrectorSteps = method.Get("correct_steps", d.CorrectorSteps),
            CorrectorLr = method.Get("lr", d.CorrectorLr),
            DataConsistencyStep = method.Get("lamb", d.DataConsistencyStep),
        });
    }
}
