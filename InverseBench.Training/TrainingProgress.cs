namespace InverseBench.Training;

/// <summary>A progress report of <see cref="DiffusionTrainer.Train"/>, sent every <see cref="TrainingOptions.LogEvery"/> steps and at the end.</summary>
/// <param name="Step">Optimizer steps completed so far.</param>
/// <param name="NumSteps">Total steps of the run.</param>
/// <param name="Loss">Mean training loss over the steps since the previous report.</param>
/// <param name="LearningRate">Learning rate of the last step.</param>
/// <param name="ImagesPerSecond">Throughput since the previous report (images per second).</param>
/// <param name="Elapsed">Wall time of this call so far.</param>
public sealed record TrainingProgress(long Step, long NumSteps, double Loss, double LearningRate, double ImagesPerSecond, TimeSpan Elapsed);
