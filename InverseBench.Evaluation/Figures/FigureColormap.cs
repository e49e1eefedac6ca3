using ScottPlot;

namespace InverseBench.Evaluation.Figures;

/// <summary>The colormaps of result figures (the matplotlib names the reference's notebooks use where one exists).</summary>
public enum FigureColormap
{
    /// <summary>Perceptually uniform, sequential (matplotlib's default): the fallback for scalar fields.</summary>
    Viridis,

    /// <summary>Black to white: magnitudes (MRI).</summary>
    Grayscale,

    /// <summary>Blue – white – red, diverging: signed fields whose zero matters (vorticity, seismograms); pair with
    /// <see cref="PlaneStyle.CenterAtZero"/>.</summary>
    Diverging,

    /// <summary>matplotlib's <c>afmhot</c> (black – red – yellow – white): black-hole images.</summary>
    AfmHot,

    /// <summary>Sequential black – purple – yellow: absolute errors.</summary>
    Inferno,

    /// <summary>Cyclic: phases in radians (−π and π share a colour).</summary>
    Phase,

    /// <summary>Turbo (rainbow-like, sequential): velocity models.</summary>
    Turbo,
}

/// <summary>Maps <see cref="FigureColormap"/> to ScottPlot colormaps.</summary>
internal static class Colormaps
{
    public static IColormap Create(FigureColormap colormap) => colormap switch
    {
        FigureColormap.Viridis => new ScottPlot.Colormaps.Viridis(),
        FigureColormap.Grayscale => new ScottPlot.Colormaps.Grayscale(),
        FigureColormap.Diverging => new ScottPlot.Colormaps.Balance(),
        FigureColormap.AfmHot => new AfmHot(),
        FigureColormap.Inferno => new ScottPlot.Colormaps.Inferno(),
        FigureColormap.Phase => new ScottPlot.Colormaps.Phase(),
        FigureColormap.Turbo => new ScottPlot.Colormaps.Turbo(),
        _ => throw new ArgumentOutOfRangeException(nameof(colormap), colormap, "Unknown colormap."),
    };

    /// <summary>matplotlib's <c>afmhot</c>: r = 2x, g = 2x − ½, b = 2x − 1, each clipped to [0, 1].</summary>
    private sealed class AfmHot : IColormap
    {
        public string Name => "afmhot";

        public Color GetColor(double normalizedIntensity)
        {
            double x = double.IsFinite(normalizedIntensity) ? Math.Clamp(normalizedIntensity, 0, 1) : 0;
            return new Color(Channel(2 * x), Channel(2 * x - 0.5), Channel(2 * x - 1));
        }

        private static byte Channel(double v) => (byte)Math.Round(255 * Math.Clamp(v, 0, 1));
    }
}
