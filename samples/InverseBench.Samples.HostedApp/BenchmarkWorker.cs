using InverseBench.Core.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace InverseBench.Samples.HostedApp;

/// <summary>Runs the configured benchmark once through <see cref="IRunFactory"/>, logs the metrics and stops the host.</summary>
public sealed class BenchmarkWorker(IRunFactory runs, IOptions<BenchmarkSettings> settings, IHostApplicationLifetime lifetime,
    ILogger<BenchmarkWorker> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Run(() =>
    {
        try
        {
            var s = settings.Value;
            var request = new RunRequest(s.Problem, s.Solver, s.Prior)
            {
                Seed = s.Seed,
                SyntheticSamples = s.SyntheticSamples,
                Configure = s.OutputFolder is null ? null : b => b.SaveTo(s.OutputFolder, overwrite: true),
            };
            using var run = runs.Create(request);   // the run owns the operator, data, prior and solver it was given
            using var report = run.Execute(cancellationToken: stoppingToken);
            foreach (var (metric, value) in report.Aggregate)
                logger.LogInformation("{Problem}/{Solver}: {Metric} = {Mean:F4} ± {Std:F4} over {Count} sample(s)",
                    s.Problem, s.Solver, metric, value.Mean, value.Std, value.Count);
            if (s.OutputFolder is not null) logger.LogInformation("Results saved to {Folder}", Path.GetFullPath(s.OutputFolder));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "The benchmark failed");
            Environment.ExitCode = 1;
        }
        finally
        {
            lifetime.StopApplication();
        }
    }, stoppingToken);
}
