namespace InverseBench.Training;

/// <summary>
/// The <c>train:</c> and <c>log:</c> keys of the reference's <c>configs/pretrain/*.yaml</c> that drive the loop of
/// <c>train.py</c>. Defaults are those of <c>configs/pretrain/navier-stokes.yaml</c>.
/// </summary>
public sealed class TrainingOptions
{
    /// <summary>Adam learning rate after warm-up (<c>train.lr</c>). Default 1e-4.</summary>
    public double LearningRate { get; set; } = 1e-4;

    /// <summary>Images per optimizer step (<c>train.batch_size</c>). Default 256.</summary>
    public int BatchSize { get; set; } = 256;

    /// <summary>Total optimizer steps (<c>train.num_steps</c>). Default 100,000.</summary>
    public long NumSteps { get; set; } = 100_000;

    /// <summary>Linear warm-up length in steps (<c>train.warmup_steps</c>); 0 disables it. Default 500.</summary>
    public long WarmupSteps { get; set; } = 500;

    /// <summary>Maximum global gradient norm (<c>train.grad_clip</c>); 0 disables clipping. Default 0.</summary>
    public double GradClip { get; set; }

    /// <summary>EMA half-life in images (<c>train.ema_halflife_nimg</c>). Default 204,800.</summary>
    public double EmaHalfLifeImages { get; set; } = 204_800;

    /// <summary>EMA ramp-up ratio (<c>train.ema_rampup_ratio</c>): the half-life is at most this fraction of the images seen;
    /// a negative value disables the ramp-up. Default 0.05.</summary>
    public double EmaRampupRatio { get; set; } = 0.05;

    /// <summary>Checkpoint period in steps (<c>log.save_every</c>). Default 5,000.</summary>
    public long SaveEvery { get; set; } = 5_000;

    /// <summary>Progress period in steps (<c>log.log_every</c>). Default 100.</summary>
    public long LogEvery { get; set; } = 100;

    /// <summary>Seed of the data order and of the noise draws (the run's <c>seed</c>). Default 0.</summary>
    public long Seed { get; set; }

    /// <summary>Returns the list of invalid settings (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!(LearningRate >= 0) || !double.IsFinite(LearningRate)) errors.Add($"train.lr must be finite and ≥ 0; got {LearningRate}");
        if (BatchSize < 1) errors.Add($"train.batch_size must be ≥ 1; got {BatchSize}");
        if (NumSteps < 0) errors.Add($"train.num_steps must be ≥ 0; got {NumSteps}");
        if (WarmupSteps < 0) errors.Add($"train.warmup_steps must be ≥ 0; got {WarmupSteps}");
        if (!(GradClip >= 0) || !double.IsFinite(GradClip)) errors.Add($"train.grad_clip must be finite and ≥ 0; got {GradClip}");
        if (!(EmaHalfLifeImages >= 0) || !double.IsFinite(EmaHalfLifeImages)) errors.Add($"train.ema_halflife_nimg must be finite and ≥ 0; got {EmaHalfLifeImages}");
        if (!double.IsFinite(EmaRampupRatio)) errors.Add($"train.ema_rampup_ratio must be finite; got {EmaRampupRatio}");
        if (SaveEvery < 1) errors.Add($"log.save_every must be ≥ 1; got {SaveEvery}");
        if (LogEvery < 1) errors.Add($"log.log_every must be ≥ 1; got {LogEvery}");
        return errors;
    }

    /// <summary>Throws an <see cref="ArgumentException"/> listing every invalid setting.</summary>
    public void EnsureValid()
    {
        var errors = Validate();
        if (errors.Count > 0) throw new ArgumentException($"Invalid {nameof(TrainingOptions)}: {string.Join("; ", errors)}.");
    }
}
