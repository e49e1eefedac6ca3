// A Generic Host app: every InverseBench setting comes from appsettings.json (or environment variables such as
// InverseBench__Device=cuda, or command-line arguments such as --Benchmark:Seed=3) through dependency injection.
using InverseBench.Samples.HostedApp;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
{
    Args = args,
    ContentRootPath = AppContext.BaseDirectory,   // appsettings.json is copied next to the executable
});
builder.Services.AddInverseBench()                // binds the "InverseBench" section (device, problems, solvers)
    .AddNavierStokes()
    .AddSolvers()
    .AddAnalyticPriors();
builder.Services.AddOptions<BenchmarkSettings>().BindConfiguration(BenchmarkSettings.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddHostedService<BenchmarkWorker>();

using IHost host = builder.Build();
await host.RunAsync();
return Environment.ExitCode;
