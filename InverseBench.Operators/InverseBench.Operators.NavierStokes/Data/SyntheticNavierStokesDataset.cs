using System.Globalization;
using InverseBench.Core.Abstractions;
using InverseBench.Operators.NavierStokes.Functional;
using InverseBench.Operators.NavierStokes.Internal;
using static TorchSharp.torch;

namespace InverseBench.Operators.NavierStokes.Data;

/// <summary>Settings of <see cref="SyntheticNavierStokesDataset"/>.</summary>
public sealed class SyntheticNavierStokesOptions
{
    /// <summary>Number of samples.</summary>
    /// <value>The default is 10 (the reference evaluates <c>id_list: 0-9</c>).</value>
    public int Count { get; set; } = 10;

    /// <summary>Grid points per side.</summary>
    /// <value>The default is 128 (dataset card).</value>
    public int Resolution { get; set; } = NavierStokesDefaults.Resolution;

    /// <summary>
    /// Grid points per side of the grid on which the initial field is drawn and evolved; the evolved field is then resized to
    /// <see cref="Resolution"/> with the antialiased bilinear resize the reference's <c>LMDBData</c> applies when a problem's
    /// resolution differs from the data's (so a coarse problem sees what it would see with the real 128×128 test set).
    /// Null: <see cref="Resolution"/>, but at least <see cref="MinimumResolvedGrid"/>.
    /// </summary>
    /// <remarks>
    /// At Re = 200 a grid coarser than 64 cannot carry the enstrophy cascade: evolved on 32×32 for five time units, 63 % of
    /// the field's energy sits above wavenumber 8 (grid-scale noise, rms vorticity 7.3), against 12 % on 64×64 and 10 % on
    /// 128×128 resized to 32 (rms 3.9 and 4.5; above wavenumber 12: 2.2 % and 2.1 %) — measured on 8 fields each with the
    /// reference's solver and this GRF recipe. So a 32×32 problem draws its targets on 64×64 by default; set 128 for the dataset card's grid.
    /// </remarks>
    /// <value>The default is null.</value>
    public int? SimulationResolution { get; set; }

    /// <summary>The coarsest grid the samples are evolved on when <see cref="SimulationResolution"/> is null (64).</summary>
    public const int MinimumResolvedGrid = 64;

    /// <summary>The grid the samples are drawn and evolved on: <see cref="SimulationResolution"/>, or
    /// max(<see cref="Resolution"/>, <see cref="MinimumResolvedGrid"/>) when it is null.</summary>
    public int SimulationGrid => SimulationResolution ?? Math.Max(Resolution, MinimumResolvedGrid);

    /// <summary>Time the random initial field is evolved before it becomes a target.</summary>
    /// <value>The default is 5 (dataset card: "evolving … for five time units").</value>
    public double EvolutionTime { get; set; } = NavierStokesDefaults.SyntheticEvolutionTime;

    /// <summary>Reynolds number of the evolution.</summary>
    /// <value>The default is 200 (dataset card).</value>
    public double Reynolds { get; set; } = NavierStokesDefaults.Reynolds;

    /// <summary>GRF smoothness exponent α.</summary>
    /// <value>The default is 2.5.</value>
    public double Alpha { get; set; } = NavierStokesDefaults.FieldAlpha;

    /// <summary>GRF inverse length scale τ.</summary>
    /// <value>The default is 7.</value>
    public double Tau { get; set; } = NavierStokesDefaults.FieldTau;

    /// <summary>Normalisation std: targets are <c>vorticity / (2·Std)</c> (reference <c>data.std</c>).</summary>
    /// <value>The default is 5 (navier-stokes.yaml).</value>
    public double Std { get; set; } = NavierStokesDefaults.DataStd;

    /// <summary>
    /// Most samples drawn and evolved together. The samples are generated chunk by chunk, so the working memory of the
    /// generation is bounded by this number whatever <see cref="Count"/> is (only the finished float32 targets, 4 bytes a
    /// pixel, grow with the count); the targets do not depend on it beyond float rounding (the random stream and the
    /// per-sample time steps are those of one batch; batched FFTs may round differently).
    /// </summary>
    /// <value>The default is 32.</value>
    public int ChunkSize { get; set; } = 32;

    /// <summary>Real dtype of the evolution solve.</summary>
    /// <value>The default is Float32.</value>
    public ScalarType DType { get; set; } = ScalarType.Float32;

    /// <summary>Adds a message to <paramref name="errors"/> for every invalid setting.</summary>
    public void Validate(List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (Count < 1) errors.Add($"Count must be ≥ 1; got {Count}");
        if (ChunkSize < 1) errors.Add($"ChunkSize must be ≥ 1; got {ChunkSize}");
        if (Resolution < 4 || Resolution % 2 != 0) errors.Add($"Resolution must be an even number ≥ 4; got {Resolution}");
        if (SimulationResolution is { } sim && (sim < 4 || sim % 2 != 0 || sim < Resolution))
            errors.Add($"SimulationResolution must be an even number ≥ 4 and ≥ Resolution ({Resolution}); got {sim}");
        if (!double.IsFinite(EvolutionTime) || EvolutionTime < 0) errors.Add($"EvolutionTime must be finite and ≥ 0; got {EvolutionTime}");
        if (!double.IsFinite(Reynolds) || Reynolds <= 0) errors.Add($"Reynolds must be finite and > 0; got {Reynolds}");
        if (!(Alpha > 1)) errors.Add($"Alpha must be > 1; got {Alpha}");
        if (!(Tau > 0)) errors.Add($"Tau must be > 0; got {Tau}");
        if (!double.IsFinite(Std) || Std == 0) errors.Add($"Std must be finite and non-zero; got {Std}");
        if (DType != ScalarType.Float32 && DType != ScalarType.Float64) errors.Add($"DType must be Float32 or Float64; got {DType}");
    }
}

/// <summary>
/// Synthetic Navier–Stokes test targets for when the reference data are absent, following the dataset card's recipe: a
/// Gaussian random field initial vorticity (<see cref="GaussianRandomField"/>, α = 2.5, τ = 7) evolved for five time
/// units at Re = 200 under the Kolmogorov forcing on the grid <see cref="SyntheticNavierStokesOptions.SimulationGrid"/> (the
/// card's is 128×128; coarser problems draw on at least 64×64, the coarsest grid that resolves the flow), resized to the
/// problem's resolution as the reference resizes its test set, then normalised as the test set is (<c>/(2·std)</c>, std = 5). Deterministic for a given generator state. All samples are drawn and evolved when the
/// dataset is created, in chunks of <see cref="SyntheticNavierStokesOptions.ChunkSize"/> (each sample with its own time
/// step), so the working memory stays bounded for any count and the result equals one batch's up to float rounding.
/// </summary>
/// <remarks>The dataset card does not publish the generator's code; the GRF constants are those of the cited PINO
/// Kolmogorov-flow recipe, so these fields have the same kind of statistics as the real test set, not the same values.</remarks>
public sealed class SyntheticNavierStokesDataset : IProblemDataset, IDisposable
{
    private readonly Tensor _targets;

    /// <summary>Draws and evolves the samples.</summary>
    /// <param name="options">Settings (defaults when null).</param>
    /// <param name="generator">The run's generator; every random number comes from it.</param>
    public SyntheticNavierStokesDataset(SyntheticNavierStokesOptions? options, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        Options = options ?? new SyntheticNavierStokesOptions();
        var errors = new List<string>();
        Options.Validate(errors);
        if (errors.Count > 0) throw new ArgumentException($"Invalid {nameof(SyntheticNavierStokesOptions)}: {string.Join("; ", errors)}.", nameof(options));
        Core.Runtime.TorchRuntime.EnsureInitialized();

        using var noGrad = no_grad();
        int r = Options.Resolution, g = Options.SimulationGrid;
        var targets = empty(new long[] { Options.Count, 1, r, r }, ScalarType.Float32);
        try
        {
            using var grid = Options.EvolutionTime > 0 ? new VorticitySpectralGrid(g, NavierStokesDefaults.Length, Options.DType) : null;
            using var forcing = Options.EvolutionTime > 0 ? KolmogorovForcing.Create(g, NavierStokesDefaults.Length, Options.DType) : null;
            // torch's CPU normal draw of n values is the concatenation of draws of n₁ + n₂ = n values when every piece holds a
            // multiple of 16 values (it transforms uniforms 16 at a time), so the initial fields are drawn chunk by chunk too
            // when G² is a multiple of 16 (G a multiple of 4) and all at once (float32, 4 bytes a pixel) otherwise.
            bool chunkedDraw = (long)g * g % 16 == 0;
            using var allInitial = chunkedDraw ? null : GaussianRandomField.Sample(Options.Count, g, generator, Options.Alpha, Options.Tau);
            for (int start = 0; start < Options.Count; start += Options.ChunkSize)
            {
                int n = Math.Min(Options.ChunkSize, Options.Count - start);
                using var scope = NewDisposeScope();
                var initial = chunkedDraw
                    ? GaussianRandomField.Sample(n, g, generator, Options.Alpha, Options.Tau)
                    : allInitial!.narrow(0, start, n);
                var vorticity = grid is null
                    ? initial
                    : VorticitySolver.Solve(grid, initial, forcing,
                        new VorticitySolveSettings(Options.EvolutionTime, Options.Reynolds, Adaptive: true, NavierStokesDefaults.DeltaT));
                var field = (vorticity / (2 * Options.Std)).to(ScalarType.Float32).unsqueeze(1);
                if (g != r)
                    field = nn.functional.interpolate(field, size: [r, r], mode: InterpolationMode.Bilinear, align_corners: false, antialias: true);
                targets.narrow(0, start, n).copy_(field);
            }
        }
        catch
        {
            targets.Dispose();
            throw;
        }

        _targets = targets;
    }

    /// <summary>The settings.</summary>
    public SyntheticNavierStokesOptions Options { get; }

    /// <inheritdoc />
    public int Count => Options.Count;

    /// <inheritdoc />
    public string GetId(int index)
    {
        Check(index);
        return index.ToString(CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public Tensor GetTarget(int index)
    {
        Check(index);
        return _targets.narrow(0, index, 1).clone();
    }

    private void Check(int index)
    {
        if ((uint)index >= (uint)Options.Count)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"The dataset has {Options.Count} samples.");
    }

    /// <inheritdoc />
    public void Dispose() => _targets.Dispose();
}
