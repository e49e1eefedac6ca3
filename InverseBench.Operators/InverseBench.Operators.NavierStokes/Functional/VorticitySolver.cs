using InverseBench.Core.Abstractions;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Operators.NavierStokes.Functional;

/// <summary>How the adaptive time step is chosen for a batch.</summary>
public enum TimeStepMode
{
    /// <summary>
    /// Each batch item takes its own CFL step and finishes on its own clock, so a solve of a batch gives exactly what
    /// solving each item alone gives (default). Items that reached the final time idle with a zero step.
    /// </summary>
    PerSample,

    /// <summary>
    /// Reference behaviour: one step for the whole batch, from the largest speed over every item, so an item's solution
    /// depends on the other items in its batch (<c>NavierStokes2d.time_step</c> takes <c>torch.max</c> over the batch).
    /// </summary>
    SharedAcrossBatch,
}

/// <summary>Settings of one vorticity solve (reference <c>NavierStokes2d.solve</c> arguments).</summary>
/// <param name="Time">Final time <c>T</c> (&gt; 0).</param>
/// <param name="Reynolds">Reynolds number (&gt; 0).</param>
/// <param name="Adaptive">CFL-adaptive time step (recomputed after every step) instead of the fixed <paramref name="DeltaT"/>.</param>
/// <param name="DeltaT">Fixed time step, used when <paramref name="Adaptive"/> is false.</param>
/// <param name="Mode">How the adaptive step is shared across the batch.</param>
/// <param name="MaxSteps">
/// Most time steps a solve may take before it is declared divergent (<see cref="NumericalDivergenceException"/>); null for
/// the default <see cref="VorticitySolver.DefaultMaxSteps"/>, derived from the first CFL step.
/// </param>
public sealed record VorticitySolveSettings(double Time, double Reynolds, bool Adaptive, double DeltaT,
    TimeStepMode Mode = TimeStepMode.PerSample, int? MaxSteps = null);

/// <summary>What a solve did: number of Heun steps and the first time step taken.</summary>
/// <param name="Steps">Number of time steps (of the batch loop).</param>
/// <param name="FirstTimeStep">The first time step (the smallest over the batch in per-sample mode).</param>
public sealed record VorticitySolveStatistics(int Steps, double FirstTimeStep);

/// <summary>
/// Pseudo-spectral solver of the 2-D incompressible Navier–Stokes equations in vorticity form on the periodic square,
/// <c>∂w/∂t = −u·∇w + (1/Re)Δw + f</c>, <c>u = (ψ_y, −ψ_x)</c>, <c>−Δψ = w</c> (reference
/// <c>inverse_problems/navier_stokes.py</c> <c>NavierStokes2d</c>): 2/3-rule dealiased nonlinear term, Heun's method for
/// the advection and forcing combined with Crank–Nicolson for the viscous term, fixed or CFL-adaptive step, last step
/// shortened to land on <c>T</c>.
/// </summary>
/// <remarks>
/// <para>Adaptive step: <c>dt = min(0.5h/max|u|, 0.5h²/μ)</c> with <c>h = 1/R</c>, <c>μ = (1/Re)·√max|f|·(L/2π)^{3/2}</c>
/// (<c>dt = 0.5h²/μ</c> when the fluid is at rest); the speed is taken from the undealiased velocity.</para>
/// <para>Differentiable: when the input requires grad (and grad mode is on) the computation is recorded for autograd,
/// the time steps being treated as constants (they are read back to the host). Every step runs in a dispose scope and
/// only the carried spectral state leaves it.</para>
/// </remarks>
public static class VorticitySolver
{
    /// <summary>
    /// How many times more steps than the first CFL step implies (<c>T/dt₀</c>) an adaptive solve may take by default: the
    /// fluid's maximum speed may grow this much over the solve before the solve counts as divergent.
    /// </summary>
    public const int SpeedGrowthAllowance = 100;

    /// <summary>
    /// The default step budget: a fixed step takes exactly <c>⌈T/Δt⌉</c> steps (one more for the rounding of the last
    /// one); an adaptive solve whose first step is <c>dt₀ = min(0.5h/max|u₀|, 0.5h²/μ)</c> (the CFL bound) may take
    /// <see cref="SpeedGrowthAllowance"/>·<c>⌈T/dt₀⌉</c> steps.
    /// </summary>
    /// <param name="time">Final time <c>T</c>.</param>
    /// <param name="firstStep">The first time step (the fixed one when not adaptive).</param>
    /// <param name="adaptive">Whether the step is CFL-adaptive.</param>
    public static int DefaultMaxSteps(double time, double firstStep, bool adaptive)
    {
        double steps = Math.Ceiling(time / firstStep) + 1;
        if (adaptive) steps *= SpeedGrowthAllowance;
        return steps >= int.MaxValue ? int.MaxValue : (int)steps;
    }

    /// <summary>Solves from initial vorticity <paramref name="vorticity"/> <c>[B, R, R]</c> (physical units) to time <c>T</c>.</summary>
    /// <param name="grid">The spectral tables (their resolution, dtype and device are used).</param>
    /// <param name="vorticity">Initial vorticity <c>[B, R, R]</c>, real; converted to the grid's dtype.</param>
    /// <param name="forcing">Forcing <c>[R, R]</c> (or null for none), real.</param>
    /// <param name="settings">Time, Reynolds number and stepping.</param>
    /// <returns>The vorticity at time <c>T</c>, <c>[B, R, R]</c> in the grid's dtype.</returns>
    public static Tensor Solve(VorticitySpectralGrid grid, Tensor vorticity, Tensor? forcing, VorticitySolveSettings settings) =>
        Solve(grid, vorticity, forcing, settings, out _);

    /// <summary>Solves and reports the number of steps taken.</summary>
    /// <inheritdoc cref="Solve(VorticitySpectralGrid, Tensor, Tensor?, VorticitySolveSettings)"/>
    /// <param name="grid">The spectral tables.</param>
    /// <param name="vorticity">Initial vorticity <c>[B, R, R]</c>.</param>
    /// <param name="forcing">Forcing <c>[R, R]</c> or null.</param>
    /// <param name="settings">Time, Reynolds number and stepping.</param>
    /// <param name="statistics">Steps taken and the first step size.</param>
    public static Tensor Solve(VorticitySpectralGrid grid, Tensor vorticity, Tensor? forcing, VorticitySolveSettings settings,
        out VorticitySolveStatistics statistics)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(vorticity);
        ArgumentNullException.ThrowIfNull(settings);
        grid.ThrowIfDisposed();
        Validate(grid, vorticity, forcing, settings);

        int r = grid.Resolution;
        long batch = vorticity.shape[0];
        long[] size = [r, r];
        double h = 1.0 / r;
        double mu;
        bool perSample = settings.Mode == TimeStepMode.PerSample && batch > 1;

        using var outer = NewDisposeScope();
        var w0 = vorticity.to(grid.DType, grid.Device);
        Tensor? fh = null;
        if (forcing is not null)
        {
            var f = forcing.to(grid.DType, grid.Device);
            fh = fft.rfft2(f);
            double xi = f.abs().max().sqrt().to(ScalarType.Float64).item<double>(); // reference: sqrt in the solver dtype
            mu = (1.0 / settings.Reynolds) * xi * Math.Pow(grid.Length / (2 * Math.PI), 1.5);
        }
        else
        {
            mu = (1.0 / settings.Reynolds) * Math.Pow(grid.Length / (2 * Math.PI), 1.5);
        }

        var gg = grid.NegativeLaplacian * (1.0 / settings.Reynolds);
        var wh = fft.rfft2(w0);
        int slots = perSample ? (int)batch : 1;
        var times = new double[slots];
        var steps = new double[slots];
        Array.Fill(steps, settings.DeltaT);
        double T = settings.Time;

        Tensor? pendingN1 = null; // N(ŵ) computed together with the speed, reused as the next step's first stage
        if (settings.Adaptive)
        {
            pendingN1 = Nonlinear(grid, wh, fh, size, out var speedSq);
            ComputeSteps(speedSq, perSample, h, mu, steps);
            CheckSteps(steps, perSample, 0, speedSq);
            speedSq.Dispose();
        }

        double firstStep = steps.Min();
        CheckSteps(steps, perSample, 0, null);
        int maxSteps = settings.MaxSteps ?? DefaultMaxSteps(settings.Time, firstStep, settings.Adaptive);
        int count = 0;
        double[] current = new double[slots];
        double[]? previous = null;
        Tensor? explicitFactor = null, implicitFactor = null, dtTensor = null, halfTensor = null;
        // Scalars are made and disposed explicitly in the loop (an implicit double → Scalar conversion is released only by its
        // finalizer), and the loop collects finalizable interop garbage periodically: without both, the native memory of a long
        // solve grows with its step count (see InteropGarbage).
        using var one = 1.0.ToScalar();
        using var halfScalar = 0.5.ToScalar();
        while (Array.Exists(times, t => t < T))
        {
            if (count >= maxSteps)
            {
                int slowest = Array.IndexOf(times, times.Min());
                throw new NumericalDivergenceException(SolveName,
                    $"the step budget of {maxSteps} steps ran out at t = {times.Min():G6} of T = {T:G6} (last step {steps[slowest]:G3}); " +
                    "the flow speed grew far beyond its initial CFL bound. Raise VorticitySolveSettings.MaxSteps if this is expected.",
                    perSample ? slowest : null, count);
            }

            for (int b = 0; b < slots; b++)
                current[b] = times[b] < T ? (times[b] + steps[b] > T ? T - times[b] : steps[b]) : 0.0;

            using var scope = NewDisposeScope();
            if (previous is null || !current.AsSpan().SequenceEqual(previous))
            {
                explicitFactor?.Dispose(); implicitFactor?.Dispose(); dtTensor?.Dispose(); halfTensor?.Dispose();
                Tensor hgg;
                if (slots == 1)
                {
                    using var halfStep = (0.5 * current[0]).ToScalar();
                    hgg = gg.mul(halfStep); // one step for the batch: scalar factors, no per-item tensors
                    dtTensor = halfTensor = null;
                }
                else
                {
                    var cdt = tensor(current, dtype: ScalarType.Float64).to(grid.DType, grid.Device).view(slots, 1, 1);
                    var half = cdt.mul(halfScalar);
                    hgg = half * gg;
                    dtTensor = scope.MoveToOuter(cdt);
                    halfTensor = scope.MoveToOuter(half);
                }

                explicitFactor = scope.MoveToOuter(hgg.neg().add_(one));
                implicitFactor = scope.MoveToOuter(hgg.add_(one).reciprocal_());
                previous = (double[])current.Clone();
            }

            var n1 = pendingN1 ?? Nonlinear(grid, wh, fh, size);
            using var step = current[0].ToScalar();
            using var halfStepSize = (0.5 * current[0]).ToScalar();
            // In-place updates only touch fresh temporaries whose values autograd does not save, so they are safe with grad too.
            var baseTerm = wh * explicitFactor!;
            var tilde = (dtTensor is null ? n1.mul(step) : dtTensor * n1).add_(baseTerm).mul_(implicitFactor!);
            var n2 = Nonlinear(grid, tilde, fh, size);
            var sum = n1 + n2;
            var next = (halfTensor is null ? sum.mul_(halfStepSize) : sum.mul_(halfTensor)).add_(baseTerm).mul_(implicitFactor!);
            if (pendingN1 is not null) { pendingN1.Dispose(); pendingN1 = null; }

            for (int b = 0; b < slots; b++) times[b] += current[b];
            count++;
            Core.Runtime.InteropGarbage.CollectPeriodically(count);

            if (settings.Adaptive && Array.Exists(times, t => t < T))
            {
                var n1Next = Nonlinear(grid, next, fh, size, out var speedSq);
                ComputeSteps(speedSq, perSample, h, mu, steps);
                CheckSteps(steps, perSample, count, speedSq);
                pendingN1 = scope.MoveToOuter(n1Next);
            }

            wh.Dispose();
            wh = scope.MoveToOuter(next);
        }

        explicitFactor?.Dispose(); implicitFactor?.Dispose(); dtTensor?.Dispose(); halfTensor?.Dispose();
        pendingN1?.Dispose();
        statistics = new VorticitySolveStatistics(count, firstStep);
        var result = fft.irfft2(wh, s: size);
        // A fixed step never looks at the speed: a state that blew up within the budget surfaces here instead of as NaN output.
        if (!isfinite(result.detach()).all().item<bool>())
        {
            long item = (~isfinite(result.detach())).flatten(1).any(1).to(ScalarType.Int64).argmax().item<long>();
            throw new NumericalDivergenceException(SolveName, "the final vorticity is not finite (the time step is too large for this flow).", item, count);
        }

        return outer.MoveToOuter(result);
    }

    /// <summary>
    /// The nonlinear term plus forcing in Fourier space, <c>−i[k1·F(q w) + k2·F(v w)]·(2π/L) + f̂</c>, from the dealiased
    /// vorticity; also returns the squared undealiased speed <c>[B, R, R]</c> for the CFL step.
    /// </summary>
    internal static Tensor Nonlinear(VorticitySpectralGrid grid, Tensor wh, Tensor? fh, long[] size, out Tensor speedSquared)
    {
        using var scope = NewDisposeScope();
        var fields = fft.irfft2(wh.unsqueeze(0) * grid.PhysicalFields, s: size); // [5, B, R, R]
        var n = NonlinearFromFields(grid, fields, fh);
        var velocity = fields.narrow(0, 3, 2).detach();
        speedSquared = scope.MoveToOuter((velocity * velocity).sum(0L));
        return scope.MoveToOuter(n);
    }

    /// <summary>The nonlinear term plus forcing alone (three inverse transforms instead of five: no undealiased velocity).</summary>
    internal static Tensor Nonlinear(VorticitySpectralGrid grid, Tensor wh, Tensor? fh, long[] size)
    {
        using var scope = NewDisposeScope();
        var fields = fft.irfft2(wh.unsqueeze(0) * grid.DealiasedFields, s: size); // [3, B, R, R]
        return scope.MoveToOuter(NonlinearFromFields(grid, fields, fh));
    }

    private static Tensor NonlinearFromFields(VorticitySpectralGrid grid, Tensor fields, Tensor? fh)
    {
        var w = fields[0];
        var products = fields.narrow(0, 1, 2) * w;                               // [2, B, R, R]: q·w, v·w
        var spectral = fft.rfft2(products);                                      // [2, B, R, R/2+1]
        var n = (spectral.requires_grad ? spectral * grid.Divergence : spectral.mul_(grid.Divergence)).sum(0L);
        if (fh is not null) n.add_(fh);
        return n;
    }

    private static void ComputeSteps(Tensor speedSquared, bool perSample, double h, double mu, double[] steps)
    {
        using var scope = NewDisposeScope();
        double viscous = 0.5 * h * h / mu;
        // max|u| = √max|u|²; the root is taken on the host in the solver's precision (IEEE square roots are correctly rounded,
        // so this is the value torch.sqrt gives on the device).
        var maxima = (perSample ? speedSquared.flatten(1).amax(1) : speedSquared.flatten().amax(new long[] { 0 }, keepdim: true)).cpu();
        double[] speeds;
        if (maxima.dtype == ScalarType.Float32)
        {
            using var values = maxima.data<float>();
            speeds = values.ToArray().Select(v => (double)MathF.Sqrt(v)).ToArray();
        }
        else
        {
            using var values = maxima.to(ScalarType.Float64).data<double>();
            speeds = values.ToArray().Select(Math.Sqrt).ToArray();
        }
        for (int b = 0; b < speeds.Length; b++) steps[b] = speeds[b] == 0 ? viscous : Math.Min(0.5 * h / speeds[b], viscous);
    }

    private const string SolveName = "Navier–Stokes vorticity solve";

    /// <summary>Throws when a time step is zero or not finite (an overflowing or NaN speed), naming the batch item.</summary>
    private static void CheckSteps(double[] steps, bool perSample, int step, Tensor? speedSquared)
    {
        for (int b = 0; b < steps.Length; b++)
        {
            if (double.IsFinite(steps[b]) && steps[b] > 0) continue;
            long? item = perSample ? b : WorstItem(speedSquared);
            throw new NumericalDivergenceException(SolveName,
                $"the CFL time step became {steps[b]:G3} (maximum speed overflowed or is NaN); the state is no longer finite.", item, step);
        }
    }

    /// <summary>The batch item whose speed is non-finite or largest (for a shared step), or null without a speed field.</summary>
    private static long? WorstItem(Tensor? speedSquared)
    {
        if (speedSquared is null) return null;
        using var scope = NewDisposeScope();
        var perItem = speedSquared.detach().flatten(1).to(ScalarType.Float64).nan_to_num(nan: double.PositiveInfinity).amax(1);
        return perItem.argmax().item<long>();
    }

    private static void Validate(VorticitySpectralGrid grid, Tensor vorticity, Tensor? forcing, VorticitySolveSettings settings)
    {
        int r = grid.Resolution;
        if (vorticity.dim() != 3 || vorticity.shape[1] != r || vorticity.shape[2] != r || vorticity.shape[0] < 1)
            throw new ArgumentException($"The vorticity must have shape [B, {r}, {r}]; got {Core.Tensors.TensorGuard.Format(vorticity.shape)}.", nameof(vorticity));
        if (!vorticity.is_floating_point())
            throw new ArgumentException($"The vorticity must be real floating point; got {vorticity.dtype}.", nameof(vorticity));
        if (forcing is not null && (forcing.dim() != 2 || forcing.shape[0] != r || forcing.shape[1] != r))
            throw new ArgumentException($"The forcing must have shape [{r}, {r}]; got {Core.Tensors.TensorGuard.Format(forcing.shape)}.", nameof(forcing));
        if (!double.IsFinite(settings.Time) || settings.Time <= 0)
            throw new ArgumentOutOfRangeException(nameof(settings), settings.Time, "The final time must be finite and positive.");
        if (!double.IsFinite(settings.Reynolds) || settings.Reynolds <= 0)
            throw new ArgumentOutOfRangeException(nameof(settings), settings.Reynolds, "The Reynolds number must be finite and positive.");
        if (!settings.Adaptive && (!double.IsFinite(settings.DeltaT) || settings.DeltaT <= 0))
            throw new ArgumentOutOfRangeException(nameof(settings), settings.DeltaT, "The fixed time step must be finite and positive.");
        if (settings.MaxSteps is < 1)
            throw new ArgumentOutOfRangeException(nameof(settings), settings.MaxSteps, "The step budget must be at least 1.");
        if (forcing is not null && !forcing.is_floating_point())
            throw new ArgumentException($"The forcing must be real floating point; got {forcing.dtype}.", nameof(forcing));
        // Non-finite input would give a NaN or infinite speed, hence a zero or NaN step: reject it before stepping.
        Core.Tensors.TensorGuard.Finite(vorticity, nameof(vorticity));
        if (forcing is not null) Core.Tensors.TensorGuard.Finite(forcing, nameof(forcing));
    }
}
