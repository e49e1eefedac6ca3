using InverseBench.Operators.BlackHole.Interferometry;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Operators.BlackHole;

/// <summary>
/// The reference's <c>eht</c> noise (<c>measure_eht</c> → ehtim <c>observe_same(phasecal=False, ampcal=False)</c> →
/// <c>add_noise</c> with its defaults), drawn from a <see cref="Generator"/>: per image, visibilities of the clipped image;
/// thermal noise <c>N(0, σ_perf) + i·N(0, σ_perf)</c> with σ_perf from the SEFDs (ehtim <c>blnoise</c>; the file σ when any
/// SEFD ≤ 0); station gains <c>g_s = |(1 + gain_offset·n_s)(1 + gainp·n_{s,t})|</c>, <c>V ·= sqrt(g₁g₂)</c>,
/// <c>σ_est = σ_perf·sqrt(g₁g₂)</c>; station phases <c>φ ~ U(0, 2π)</c> per site and time, <c>V ·= exp(i(φ₂ − φ₁))</c>.
/// Amplitudes, closure quantities and their σ come from the corrupted visibilities with σ_est; the flux is the median
/// ALMA–APEX amplitude (reference <c>estimate_flux</c>). All in units of the reference multiplier.
/// </summary>
internal static class BlackHoleNoise
{
    /// <summary>
    /// The <c>eht</c> observation of physical images <c>[B, 1, H, W]</c> → <c>[B, 1, L, 1]</c> float32; with a null
    /// <paramref name="generator"/> nothing is corrupted and σ is the observation's (the reference's <c>forward_from_eht</c>,
    /// ehtim <c>observe_same_nonoise</c>).
    /// </summary>
    public static Tensor ObserveEht(BlackHoleOperator op, Tensor physical, Generator? generator)
    {
        var setup = op.Setup;
        var obs = setup.Observation;
        var options = op.Options;
        int m = obs.Count, stations = obs.Stations.Count;
        var times = obs.Times();
        var timeIndex = obs.Rows.Select(r => Array.BinarySearch(times, r.Time)).ToArray();
        int alma = obs.StationIndex("ALMA"), apex = obs.StationIndex("APEX");
        var fluxRows = Enumerable.Range(0, m).Where(i =>
            (obs.Rows[i].Station1 == alma && obs.Rows[i].Station2 == apex) || (obs.Rows[i].Station1 == apex && obs.Rows[i].Station2 == alma)).ToArray();
        if (fluxRows.Length == 0)
        {
            throw new InvalidOperationException(
                "The 'eht' noise model estimates the flux from the ALMA–APEX baseline (reference estimate_flux), which this observation lacks; use noise_type gaussian or vis_thermal, or an array with ALMA and APEX.");
        }

        var sigmaPerf = (generator is null ? obs.Rows.Select(r => r.Sigma).ToArray() : PerfectSigma(obs)).Select(s => s / setup.Multiplier).ToArray();
        using var scope = NewDisposeScope();
        var clipped = physical.clamp(0, 1);
        var visAll = op.ForwardVisibilities(clipped).to_type(ScalarType.ComplexFloat64);
        var outputs = new List<Tensor>();
        var sigmaPerfTensor = tensor(sigmaPerf, ScalarType.Float64, op.Device);
        var t1 = tensor(obs.Rows.Select(r => (long)r.Station1).ToArray(), ScalarType.Int64, op.Device);
        var t2 = tensor(obs.Rows.Select(r => (long)r.Station2).ToArray(), ScalarType.Int64, op.Device);
        var ti = tensor(timeIndex.Select(i => (long)i).ToArray(), ScalarType.Int64, op.Device);
        var flat1 = t1 * times.Length + ti;
        var flat2 = t2 * times.Length + ti;
        for (long b = 0; b < physical.shape[0]; b++)
        {
            using var itemScope = NewDisposeScope();
            var vis = visAll[b].reshape(m);
            Tensor noisy = vis, sigmaEst = sigmaPerfTensor;
            if (generator is not null)
            {
                var thermalRe = randn([m], ScalarType.Float64, op.Device, generator: generator) * sigmaPerfTensor;
                var thermalIm = randn([m], ScalarType.Float64, op.Device, generator: generator) * sigmaPerfTensor;
                var constant = randn([stations], ScalarType.Float64, op.Device, generator: generator) * options.GainOffset;
                var variable = randn([stations, times.Length], ScalarType.Float64, op.Device, generator: generator) * options.GainStd;
                var phase = rand([stations, times.Length], ScalarType.Float64, op.Device, generator: generator) * (2 * Math.PI);
                var stationGain = ((1 + constant.unsqueeze(1)) * (1 + variable)).abs().flatten();
                var gain = (stationGain.index_select(0, flat1) * stationGain.index_select(0, flat2)).sqrt();
                var flatPhase = phase.flatten();
                var rotation = flatPhase.index_select(0, flat2) - flatPhase.index_select(0, flat1);
                noisy = (vis + complex(thermalRe, thermalIm)) * gain * polar(ones_like(rotation), rotation);
                sigmaEst = sigmaPerfTensor * gain;
            }

            var amplitude = noisy.abs();
            var flux = amplitude.index_select(0, tensor(fluxRows.Select(i => (long)i).ToArray(), ScalarType.Int64, op.Device));
            var median = flux.sort().Values;
            int n = fluxRows.Length;
            var fluxEstimate = n % 2 == 1 ? median[n / 2] : 0.5 * (median[n / 2 - 1] + median[n / 2]);
            var parts = op.FromVisibilities(noisy.reshape(1, 1, m, 1), sigmaEst, fluxEstimate.reshape(1, 1, 1, 1));
            outputs.Add(itemScope.MoveToOuter(parts.Compress()));
        }

        return scope.MoveToOuter(cat(outputs, 0));
    }

    /// <summary>
    /// ehtim <c>add_noise</c>'s σ_perf of each row in Jy: <c>0.5·sqrt(σ_rr² + σ_ll²)</c> with
    /// <c>σ_rr = blnoise(S₁ᴿ, S₂ᴿ)</c> and (ehtim's own pairing) <c>σ_ll = blnoise(S₁ᴿ, S₂ᴸ)</c>, or the observation's σ when
    /// any station's SEFD is ≤ 0.
    /// </summary>
    public static double[] PerfectSigma(EhtObservation obs)
    {
        ArgumentNullException.ThrowIfNull(obs);
        if (obs.Stations.Any(s => s.SefdR <= 0)) return obs.Rows.Select(r => r.Sigma).ToArray();
        return obs.Rows.Select(r =>
        {
            var s1 = obs.Stations[r.Station1];
            var s2 = obs.Stations[r.Station2];
            double rr = SyntheticObservation.BaselineNoise(s1.SefdR, s2.SefdR, r.IntegrationTime, obs.Bandwidth);
            double ll = SyntheticObservation.BaselineNoise(s1.SefdR, s2.SefdL, r.IntegrationTime, obs.Bandwidth);
            return 0.5 * Math.Sqrt(rr * rr + ll * ll);
        }).ToArray();
    }
}
