namespace InverseBench.Training.Optimization;

/// <summary>The learning-rate warm-up and EMA rules of the reference's <c>train.py</c>.</summary>
public static class TrainingSchedules
{
    /// <summary>
    /// The learning rate of optimizer step <paramref name="step"/> (0-based): <c>lr·min(step, W)/W</c>
    /// (<c>LambdaLR(opt, lambda s: min(s, warmup)/warmup)</c>), so the first step has rate 0. <c>W = 0</c> means no warm-up.
    /// </summary>
    public static double WarmupLearningRate(double learningRate, long step, long warmupSteps)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        ArgumentOutOfRangeException.ThrowIfNegative(warmupSteps);
        return warmupSteps == 0 ? learningRate : learningRate * Math.Min(step, warmupSteps) / warmupSteps;
    }

    /// <summary>
    /// The EMA decay after step <paramref name="step"/> (0-based, the step just taken): half-life
    /// <c>h = min(ema_halflife_nimg, step·batch·ema_rampup_ratio)</c> images and <c>β = 0.5^(batch / max(h, 1))</c>, so step 0
    /// gives β ≈ 0 (the EMA becomes the network). A negative ramp-up ratio disables the ramp-up.
    /// </summary>
    public static double EmaBeta(long step, int batchSize, double halfLifeImages, double rampupRatio)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        double halfLife = halfLifeImages;
        if (rampupRatio >= 0) halfLife = Math.Min(halfLife, (double)step * batchSize * rampupRatio);
        return Math.Pow(0.5, batchSize / Math.Max(halfLife, 1));
    }
}
