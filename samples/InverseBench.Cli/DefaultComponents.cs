using InverseBench.Algorithms;
using InverseBench.Core.Configuration;
using InverseBench.Core.DependencyInjection;
using InverseBench.Core.Priors;
using InverseBench.Operators.InverseScattering;

namespace InverseBench.Cli;

/// <summary>The packages the CLI registers by default (after any registrations a host adds first; the first registration of a name wins).</summary>
public static class DefaultComponents
{
    /// <summary>
    /// The analytic Gaussian-random-field prior as a config-driven factory: reads <c>img_channels</c> and
    /// <c>img_resolution</c> (the keys of a pretrain <c>model</c> section), and optionally <c>alpha</c>, <c>tau</c>,
    /// <c>amplitude</c> and <c>mean</c> (<see cref="GaussianFieldPriorOptions"/>); ignores the checkpoint.
    /// </summary>
    public static PriorFactory GaussianField { get; } = new("gaussian-field", (model, _, device) =>
    {
        var d = new GaussianFieldPriorOptions();
        return new GaussianFieldPrior(new GaussianFieldPriorOptions
        {
            Channels = model.Get("img_channels", d.Channels),
            Resolution = model.Get("img_resolution", d.Resolution),
            Alpha = model.Get("alpha", d.Alpha),
            Tau = model.Get("tau", d.Tau),
            Amplitude = model.Get("amplitude", d.Amplitude),
            Mean = model.Get("mean", d.Mean),
            Device = device,
        });
    });

    /// <summary>Adds every problem, solver and prior package the CLI ships with.</summary>
    public static IInverseBenchBuilder Add(IInverseBenchBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddInverseScattering();
        builder.AddSolvers();
        builder.AddPriorFactory(GaussianField);
        return builder;
    }
}
