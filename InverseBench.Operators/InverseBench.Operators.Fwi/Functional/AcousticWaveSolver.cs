using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace InverseBench.Operators.Fwi.Functional;

/// <summary>
/// The batched 2-D acoustic finite-difference solver behind <see cref="FwiOperator"/> (devito <c>AcousticWaveSolver</c>,
/// kernel OT2, space order 4, as used by the reference; spec §6.2): <c>m·u_tt − Δu + damp·u_t = q</c>, <c>m = 1/vp²</c>, on
/// the padded grid, for B velocity models × S shots at once (one field per (model, shot), shape <c>[B, S, Zp, Xp]</c>).
/// </summary>
/// <remarks>
/// <para>Update at every padded point (devito's <c>solve</c>, forward difference for <c>u_t</c>):
/// <c>u⁺ = A·Δu + Bc·u + Cn·u⁻</c> with <c>A = 1/(m/dt² + damp/dt)</c>, <c>Bc = A·(2m/dt² + damp/dt)</c>,
/// <c>Cn = −A·m/dt²</c>; Δ is the 4th-order Laplacian (−1/12, 4/3, −5/2, 4/3, −1/12)/h² per axis with zeros outside the
/// padded grid. With a free surface the z-terms of rows 0..3 read <c>u(−k) = −u(k)</c> and <c>u(0)</c> with weight 0, and row 0
/// of every new field is set to 0.</para>
/// <para>Per step the work is fused into: one copy of the field into a preallocated halo buffer (plus two mirrored ghost
/// rows), the 8 off-centre Laplacian taps (the centre tap is folded into <c>Bc</c>) — either one depth-wise <c>conv2d</c>
/// with a 5×5 cross kernel over all B·S fields (float32 with ≥ 16 fields: oneDNN's vectorised depth-wise kernel) or 8
/// shifted-slice multiply-adds (float64, small batches: no oneDNN kernel, and libtorch's fallback convolution is 5–10×
/// slower) — whose result becomes the new field (no further copy), three in-place multiply-adds, one
/// <c>scatter_add_</c> for the source and one <c>index_select</c> for the receiver taps. TorchSharp has no <c>out=</c> form
/// of <c>conv2d</c>, so each step allocates that one field; the allocator reuses the block of the field it retires.</para>
/// <para>Time loop as devito (<c>time_m = 1</c>, <c>time_M = nt − 2</c>, <c>u[0] = u[1] = 0</c>): iteration n computes
/// <c>u[n+1]</c>, adds <c>src[n]·dt²/m(base)</c> with bilinear weights at the 4 nodes around the source, and records
/// <c>rec[n]</c> from <c>u[n]</c>; <c>rec[0]</c> and <c>rec[nt−1]</c> stay 0.</para>
/// </remarks>
internal sealed class AcousticWaveSolver : IDisposable
{
    /// <summary>Fewest float32 fields for which the depth-wise convolution beats the shifted-slice sum (oneDNN's depth-wise kernels want ≥ 16 channels).</summary>
    internal const int ConvolutionMinimumFields = 16;

    /// <summary>The convolution path pads the channel count to a multiple of this (oneDNN's vector width in channels).</summary>
    internal const int ChannelMultiple = 16;

    private readonly FwiGeometry _geometry;
    private readonly int _batch;
    private readonly int _shots;
    private readonly int _fields;
    private readonly int _nt;
    private readonly double _dt;
    private readonly Tensor _a;          // [B, 1, Zp, Xp]
    private readonly Tensor _bc;         // [B, 1, Zp, Xp], includes A·(Laplacian centre tap)
    private readonly double[] _offX;     // off-centre Laplacian taps along x, offsets −2..2 (centre 0)
    private readonly double[] _offZ;     // off-centre Laplacian taps along z
    private readonly bool _useConvolution;
    private readonly int _channels;      // halo channels: the fields, rounded up for the convolution path
    private readonly Tensor _cn;         // [B, 1, Zp, Xp]
    private readonly Tensor _kernel;     // [N, 1, 5, 5]
    private readonly Tensor _halo;       // [1, N, Zp + 4, Xp + 4]
    private readonly Tensor _haloInner;  // view of the field rows written each step
    private readonly Tensor? _ghost1;    // halo row of u(−1)
    private readonly Tensor? _ghost2;    // halo row of u(−2)
    private readonly Tensor _sourceIndex;     // [N, 4] int64
    private readonly Tensor _sourceAmplitude; // [N, 4]: weight·dt²·vp(base)²
    private readonly Tensor _receiverIndex;   // [4R] int64
    private readonly Tensor _receiverWeight;  // [R, 4]
    private readonly Tensor _receiverAmplitude; // [B, 1, R, 4]: weight·dt²·vp(base)²
    private readonly double[] _wavelet;
    private readonly ScalarType _dtype;

    /// <summary>Prepares the coefficient fields and buffers for a batch of padded velocity models.</summary>
    /// <param name="geometry">The discretisation.</param>
    /// <param name="paddedVelocity">Padded velocities <c>[B, Zp, Xp]</c> in km/s, in the simulation dtype, already checked (finite, positive, stable).</param>
    /// <param name="stencil">How the Laplacian is evaluated (the default chooses by dtype and batch).</param>
    public AcousticWaveSolver(FwiGeometry geometry, Tensor paddedVelocity, StencilMode stencil = StencilMode.Automatic)
    {
        _geometry = geometry;
        _batch = (int)paddedVelocity.shape[0];
        _shots = geometry.Shots;
        _fields = _batch * _shots;
        _nt = geometry.TimeSteps;
        _dt = geometry.Dt;
        _dtype = paddedVelocity.dtype;
        _wavelet = geometry.Wavelet();
        int zp = geometry.PaddedNz, xp = geometry.PaddedNx;
        var device = paddedVelocity.device;
        using var scope = NewDisposeScope();

        var v = paddedVelocity.to_type(ScalarType.Float64);
        var m = v.square().reciprocal();
        var damp = tensor(geometry.DampingField(), ScalarType.Float64, device).view(1, zp, xp);
        double dt2 = _dt * _dt;
        var denominator = m / dt2 + damp / _dt;
        var a = denominator.reciprocal();
        _a = Keep(scope, a, zp, xp);
        _cn = Keep(scope, -a * m / dt2, zp, xp);

        double hx2 = geometry.SpacingX * geometry.SpacingX, hz2 = geometry.SpacingZ * geometry.SpacingZ;
        _offX = new double[5];
        _offZ = new double[5];
        for (int k = 0; k < 5; k++)
        {
            _offX[k] = k == 2 ? 0 : FwiGeometry.SecondDifference[k] / hx2;
            _offZ[k] = k == 2 ? 0 : FwiGeometry.SecondDifference[k] / hz2;
        }

        // The centre tap of the Laplacian is folded into Bc, so the stencil only sums the 8 neighbours.
        double centre = FwiGeometry.SecondDifference[2] * (1 / hx2 + 1 / hz2);
        _bc = Keep(scope, a * (2 * m / dt2 + damp / _dt + centre), zp, xp);
        _useConvolution = stencil switch
        {
            StencilMode.Convolution => true,
            StencilMode.Shifts => false,
            _ => _dtype == ScalarType.Float32 && _fields >= ConvolutionMinimumFields,
        };
        _channels = _useConvolution ? (_fields + ChannelMultiple - 1) / ChannelMultiple * ChannelMultiple : _fields;
        var kernel = zeros([5, 5], ScalarType.Float64);
        for (int k = 0; k < 5; k++)
        {
            kernel[2, k].add_(_offX[k]);
            kernel[k, 2].add_(_offZ[k]);
        }

        _kernel = scope.MoveToOuter(kernel.to(_dtype, device).expand(_channels, 1, 5, 5).contiguous());
        _halo = scope.MoveToOuter(zeros([1, _channels, zp + 4, xp + 4], _dtype, device));
        if (geometry.FreeSurface)
        {
            // Row 0 of the field is never copied: the halo keeps 0 there (the mirror's sign(0) = 0).
            _haloInner = scope.MoveToOuter(_halo[0, 0.._fields, 3..(zp + 2), 2..(xp + 2)]);
            _ghost1 = scope.MoveToOuter(_halo[0, 0.._fields, 1, 2..(xp + 2)]);
            _ghost2 = scope.MoveToOuter(_halo[0, 0.._fields, 0, 2..(xp + 2)]);
        }
        else
        {
            _haloInner = scope.MoveToOuter(_halo[0, 0.._fields, 2..(zp + 2), 2..(xp + 2)]);
        }

        var vFlat = v.reshape(_batch, zp * xp);
        var sourceTaps = geometry.Taps(geometry.Sources);
        var sIndex = tensor(sourceTaps.Index, ScalarType.Int64, device).view(_shots, 4);
        var sWeight = tensor(sourceTaps.Weight, ScalarType.Float64, device).view(_shots, 4);
        var sBase = tensor(sourceTaps.BaseIndex, ScalarType.Int64, device);
        var sVel = vFlat.index_select(1, sBase).view(_batch, _shots, 1);
        _sourceIndex = scope.MoveToOuter(sIndex.unsqueeze(0).expand(_batch, _shots, 4).reshape(_fields, 4).contiguous());
        _sourceAmplitude = scope.MoveToOuter((sWeight.unsqueeze(0) * sVel.square() * dt2).reshape(_fields, 4).to_type(_dtype));

        var receiverTaps = geometry.Taps(geometry.ReceiverPositions);
        int r = geometry.Receivers;
        _receiverIndex = scope.MoveToOuter(tensor(receiverTaps.Index, ScalarType.Int64, device));
        var rWeight = tensor(receiverTaps.Weight, ScalarType.Float64, device).view(r, 4);
        _receiverWeight = scope.MoveToOuter(rWeight.to_type(_dtype));
        var rVel = vFlat.index_select(1, tensor(receiverTaps.BaseIndex, ScalarType.Int64, device)).view(_batch, 1, r, 1);
        _receiverAmplitude = scope.MoveToOuter((rWeight.view(1, 1, r, 4) * rVel.square() * dt2).to_type(_dtype));
    }

    /// <summary>Memory of one wavefield snapshot of the whole batch, bytes.</summary>
    public long SnapshotBytes => (long)_fields * _geometry.PaddedPoints * (_dtype == ScalarType.Float64 ? 8 : 4);

    /// <summary>Receiver data <c>[B, S, nt, R]</c> of the batch.</summary>
    public Tensor Forward()
    {
        using var scope = NewDisposeScope();
        var taps = zeros([_nt, _fields, 4L * _geometry.Receivers], _dtype, _a.device);
        var prev = ZeroField();
        var cur = ZeroField();
        for (int n = 1; n <= _nt - 2; n++)
        {
            var next = Step(prev, cur, n, taps);
            prev.Dispose();
            prev = cur;
            cur = next;
        }

        return scope.MoveToOuter(Records(taps));
    }

    /// <summary>
    /// Forward solve keeping what the adjoint needs: the receiver data <c>[B, S, nt, R]</c> and the wavefield store (every
    /// step, or checkpoints every <paramref name="interval"/> steps).
    /// </summary>
    public (Tensor Records, WavefieldStore Store) ForwardStoring(int interval)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, 1);
        using var scope = NewDisposeScope();
        var taps = zeros([_nt, _fields, 4L * _geometry.Receivers], _dtype, _a.device);
        var store = new WavefieldStore(interval, _nt);
        var prev = ZeroField();
        var cur = ZeroField();
        for (int n = 1; n <= _nt - 2; n++)
        {
            if (interval == 1) store.Keep(n, cur.alias().DetachFromDisposeScope());
            else if ((n - 1) % interval == 0) store.Checkpoint(n, prev.clone().DetachFromDisposeScope(), cur.clone().DetachFromDisposeScope());
            var next = Step(prev, cur, n, taps);
            prev.Dispose();
            prev = cur;
            cur = next;
        }

        return (scope.MoveToOuter(Records(taps)), store);
    }

    /// <summary>
    /// Adjoint-state gradient with respect to <c>m</c> on the padded grid, summed over shots, <c>[B, Zp, Xp]</c> (devito
    /// <c>GradientOperator</c>): the adjoint field runs backwards (n = nt−2 … 1) with the same stencil, the residual sample
    /// <c>res[n]</c> is injected into <c>v[n−1]</c> like a source (bilinear weights·dt²/m(base)), and
    /// <c>grad −= u[n]·(v[n−1] − 2v[n] + v[n+1])/dt²</c> (no dt factor).
    /// </summary>
    /// <param name="residual">Data residual <c>d_pred − d_obs</c>, <c>[B, S, nt, R]</c>.</param>
    /// <param name="store">The forward wavefield of <see cref="ForwardStoring"/> (consumed: its tensors are disposed).</param>
    public Tensor Adjoint(Tensor residual, WavefieldStore store)
    {
        using var scope = NewDisposeScope();
        int r = _geometry.Receivers;
        // [nt, N, 4R]: residual sample of each receiver spread over its taps, times weight·dt²/m(base).
        var residualTaps = (residual.to_type(_dtype).unsqueeze(-1) * _receiverAmplitude.unsqueeze(2))
            .permute(2, 0, 1, 3, 4).reshape(_nt, _fields, 4L * r).contiguous();
        var receiverIndex = _receiverIndex.unsqueeze(0).expand(_fields, 4L * r).contiguous();
        var gradient = zeros([_batch, _shots, _geometry.PaddedNz, _geometry.PaddedNx], _dtype, _a.device);
        var vNext = ZeroField();
        var vCur = ZeroField();
        double scale = -1.0 / (_dt * _dt);
        for (int n = _nt - 2; n >= 1; n--)
        {
            var u = store.Get(n, this);
            using (var step = NewDisposeScope())
            {
                var vNew = Propagate(vNext, vCur);
                vNew.view(_fields, -1).scatter_add_(1, receiverIndex, residualTaps[n]);
                // vNext becomes the second time difference v[n−1] − 2v[n] + v[n+1] (it is not needed afterwards).
                vNext.add_(vNew).add_(vCur, alpha: -2.0);
                gradient.addcmul_(vNext, u, value: scale);
                vNext.Dispose();
                vNext = vCur;
                vCur = step.MoveToOuter(vNew);
            }

            store.Release(n);
        }

        store.Dispose();
        return scope.MoveToOuter(gradient.sum(1));
    }

    /// <summary>Recomputes the fields <c>u[first+1 .. last]</c> from the checkpoint pair (u[first−1], u[first]) (for <see cref="WavefieldStore"/>).</summary>
    internal List<Tensor> Recompute(Tensor prev, Tensor cur, int first, int last)
    {
        var fields = new List<Tensor>(last - first);
        var p = prev.alias();
        var c = cur.alias();
        for (int n = first; n < last; n++)
        {
            var next = Step(p, c, n, null);
            p.Dispose();
            p = c;
            c = next;
            fields.Add(next.alias().DetachFromDisposeScope());
        }

        p.Dispose();
        c.Dispose();
        return fields;
    }

    /// <summary>One iteration n: <c>u[n+1]</c> from <c>u[n−1]</c>, <c>u[n]</c>, with the source sample n; records the taps of <c>u[n]</c>.</summary>
    private Tensor Step(Tensor prev, Tensor cur, int n, Tensor? taps)
    {
        using var scope = NewDisposeScope();
        if (taps is not null) taps[n].copy_(cur.view(_fields, -1).index_select(1, _receiverIndex));
        var next = Propagate(prev, cur);
        double sample = _wavelet[n];
        if (sample != 0) next.view(_fields, -1).scatter_add_(1, _sourceIndex, _sourceAmplitude * sample);
        return scope.MoveToOuter(next);
    }

    /// <summary>The stencil update <c>A·Δu + Bc·u + Cn·u⁻</c> (Δ without its centre tap, which is in Bc) (free-surface row zeroed) as a new field <c>[B, S, Zp, Xp]</c>.</summary>
    private Tensor Propagate(Tensor other, Tensor cur)
    {
        using var scope = NewDisposeScope();
        int zp = _geometry.PaddedNz, xp = _geometry.PaddedNx;
        var c = cur.view(_fields, zp, xp);
        if (_ghost1 is not null && _ghost2 is not null)
        {
            _haloInner.copy_(c[.., 1.., ..]);
            _ghost1.copy_(c[.., 1, ..]).neg_();
            _ghost2.copy_(c[.., 2, ..]).neg_();
        }
        else
        {
            _haloInner.copy_(c);
        }

        Tensor next;
        if (_useConvolution)
        {
            next = F.conv2d(_halo, _kernel, groups: _channels).narrow(1, 0, _fields).view(_batch, _shots, zp, xp);
        }
        else
        {
            var e = _halo[0];
            var rows = e[.., 2..(zp + 2), ..];
            var columns = e[.., .., 2..(xp + 2)];
            next = rows[.., .., 0..xp] * _offX[0];
            next.add_(rows[.., .., 1..(xp + 1)], alpha: _offX[1]).add_(rows[.., .., 3..(xp + 3)], alpha: _offX[3]).add_(rows[.., .., 4..(xp + 4)], alpha: _offX[4]);
            next.add_(columns[.., 0..zp, ..], alpha: _offZ[0]).add_(columns[.., 1..(zp + 1), ..], alpha: _offZ[1])
                .add_(columns[.., 3..(zp + 3), ..], alpha: _offZ[3]).add_(columns[.., 4..(zp + 4), ..], alpha: _offZ[4]);
            next = next.view(_batch, _shots, zp, xp);
        }

        next.mul_(_a).addcmul_(_bc, cur, 1).addcmul_(_cn, other, 1);
        if (_geometry.FreeSurface) next[.., .., 0, ..].zero_();
        return scope.MoveToOuter(next);
    }

    private Tensor Records(Tensor taps)
    {
        int r = _geometry.Receivers;
        var records = (taps.view(_nt, _fields, r, 4) * _receiverWeight).sum(-1);
        return records.view(_nt, _batch, _shots, r).permute(1, 2, 0, 3).contiguous();
    }

    private Tensor ZeroField() => zeros([_batch, _shots, _geometry.PaddedNz, _geometry.PaddedNx], _dtype, _a.device);

    private Tensor Keep(DisposeScope scope, Tensor value, int zp, int xp) =>
        scope.MoveToOuter(value.to_type(_dtype).view(_batch, 1, zp, xp).contiguous());

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var t in new[] { _a, _bc, _cn, _kernel, _haloInner, _halo, _sourceIndex, _sourceAmplitude, _receiverIndex, _receiverWeight, _receiverAmplitude })
            t.Dispose();
        _ghost1?.Dispose();
        _ghost2?.Dispose();
    }
}

/// <summary>How <see cref="AcousticWaveSolver"/> evaluates the Laplacian (identical results up to float rounding).</summary>
internal enum StencilMode
{
    /// <summary>Convolution for float32 batches of at least <see cref="AcousticWaveSolver.ConvolutionMinimumFields"/> fields, else shifts.</summary>
    Automatic,

    /// <summary>One depth-wise <c>conv2d</c> with the 5×5 cross kernel.</summary>
    Convolution,

    /// <summary>A sum of 8 shifted views of the halo buffer.</summary>
    Shifts,
}
