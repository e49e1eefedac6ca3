using InverseBench.Core.Configuration;
using InverseBench.Core.DependencyInjection;
using Microsoft.Extensions.DependencyInjection;
using static TorchSharp.torch;

namespace InverseBench.Core.Priors;

/// <summary>Registers the analytic priors with dependency injection and the config-driven factories.</summary>
public static class AnalyticPriorRegistration
{
    /// <summary>The registered name of <see cref="GaussianFieldPrior"/>.</summary>
    public const string GaussianFieldName = "gaussian-field";

    /// <summary>
    /// The prior factory <c>gaussian-field</c>. Its configuration section reads <c>channels</c>,
    /// <c>resolution</c>, <c>alpha</c>, <c>tau</c>, <c>sigma</c> (or <c>amplitude</c>; the reference GaussianRF2d field scale),
    /// <c>mean</c>, <c>L</c> (or <c>length</c>) and <c>include_zero_frequency</c>; unknown keys are rejected. It takes no checkpoint.
    /// </summary>
    public static PriorFactory GaussianFieldFactory { get; } = new(GaussianFieldName, CreateGaussianField);

    /// <summary>Builds a <see cref="GaussianFieldPrior"/> from a configuration section (see <see cref="GaussianFieldFactory"/>).</summary>
    /// <exception cref="ArgumentException">A checkpoint was given, unknown keys, both spellings of a key, or invalid values.</exception>
    public static GaussianFieldPrior CreateGaussianField(ConfigSection section, string? checkpoint, Device device)
    {
        ArgumentNullException.ThrowIfNull(section);
        if (!string.IsNullOrEmpty(checkpoint))
            throw new ArgumentException($"The analytic prior '{GaussianFieldName}' takes no checkpoint; got '{checkpoint}'.", nameof(checkpoint));
        var o = new GaussianFieldPriorOptions { Device = device };
        o.Channels = section.Get("channels", o.Channels);
        o.Resolution = section.Get("resolution", o.Resolution);
        o.Alpha = section.Get("alpha", o.Alpha);
        o.Tau = section.Get("tau", o.Tau);
        o.Amplitude = Either<double?>(section, "sigma", "amplitude", null);
        o.Mean = section.Get("mean", o.Mean);
        o.Length = Either(section, "L", "length", o.Length);
        o.IncludeZeroFrequency = section.Get("include_zero_frequency", o.IncludeZeroFrequency);
        section.ThrowIfUnknownKeys();
        return new GaussianFieldPrior(o);
    }

    private static T Either<T>(ConfigSection section, string key, string alias, T defaultValue)
    {
        bool hasKey = section.Has(key), hasAlias = section.Has(alias);
        if (hasKey && hasAlias) throw new ArgumentException($"Give either '{key}' or '{alias}', not both.");
        return section.Get(hasAlias ? alias : key, defaultValue);
    }
}

