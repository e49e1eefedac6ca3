"""Times the Python reference on this machine, to set beside the project's own figures IN THE SAME RUN
(these machines are shared and noisy: compare ratios measured back to back, never absolute times across runs).
Copied from shared/tools/reference-bench/bench.py and extended with the inverse-scattering, FWI and MRI operators
(used by eng/bench-vs-reference.sh).
Usage: /usr/bin/python3 bench_reference.py WORK_DIR CASE [--threads N] [--batch B] [--repeats R]
  nfe      one EDM+DhariwalUNet network evaluation, Navier-Stokes config (128x128, 26.8 M parameters), no grad
  nfe_vjp  the same plus the input vector-Jacobian product (as in DPS)
  ns       Navier-Stokes forward (Re 200, T=1, adaptive step, 128x128) of FIELD (an .npy of shape [N,1,128,128])
  is_forward, is_adjoint   inverse scattering (configs/problem/inv-scatter.yaml: 128x128, 20 transmitters, 360
           receivers), the Born forward map and its adjoint as the reference computes it (the autograd VJP of forward,
           which is what its gradient-based solvers run)
  fwi_forward  acoustic FWI forward (needs devito and dask; prints 'unavailable' when they are missing)
  mri_forward, mri_adjoint  multi-coil MRI (knee: 320x320, 15 coils, R=4, random mask), forward and autograd VJP
Prints one line: name, batch, threads, median wall ms, CPU seconds per call."""
import argparse, math, os, resource, statistics, sys, time
ap = argparse.ArgumentParser()
ap.add_argument('work'); ap.add_argument('what', choices=['nfe', 'nfe_vjp', 'ns', 'is_forward', 'is_adjoint', 'fwi_forward', 'mri_forward', 'mri_adjoint'])
ap.add_argument('--threads', type=int, default=2); ap.add_argument('--batch', type=int, default=1)
ap.add_argument('--repeats', type=int, default=3); ap.add_argument('--field', default=None)
a = ap.parse_args()
sys.path.insert(0, os.path.join(a.work, 'ib'))
import numpy as np, torch
import torch.nn.functional as F
if not hasattr(F, 'scaled_dot_product_attention'):  # torch 1.13 lacks it; the reference's attention needs it
    def _sdpa(q, k, v, attn_mask=None, dropout_p=0.0, is_causal=False, scale=None):
        s = scale if scale is not None else 1.0 / math.sqrt(q.shape[-1])
        return torch.softmax((q @ k.transpose(-2, -1)) * s, dim=-1) @ v
    F.scaled_dot_product_attention = _sdpa
torch.set_num_threads(a.threads)
def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF); return r.ru_utime + r.ru_stime
def run(f):
    f(); ts = []; c0 = cpu()
    for _ in range(a.repeats):
        t = time.perf_counter(); f(); ts.append((time.perf_counter() - t) * 1000)
    print(f'reference {a.what} batch={a.batch} threads={a.threads} median_ms={statistics.median(ts):.1f} '
          f'cpu_s_per_call={(cpu() - c0) / a.repeats:.3f}')
if a.what in ('nfe', 'nfe_vjp'):
    from models.precond import EDMPrecond
    torch.manual_seed(0)
    net = EDMPrecond(img_resolution=128, img_channels=1, label_dim=0, model_type='DhariwalUNet', model_channels=128,
                     channel_mult=[1, 1, 1, 2, 2], attn_resolutions=[16], num_blocks=1, dropout=0.0).eval()
    x = torch.randn(a.batch, 1, 128, 128); s = torch.tensor(1.0)
    if a.what == 'nfe':
        def f():
            with torch.no_grad(): net(x, s)
    else:
        def f():
            xx = x.clone().requires_grad_(True); torch.autograd.grad(net(xx, s).sum(), xx)
    run(f)
elif a.what.startswith('is_'):
    from inverse_problems.inverse_scatter import InverseScatter
    op = InverseScatter(Lx=0.18, Ly=0.18, Nx=128, Ny=128, wave=6, numRec=360, numTrans=20, sensorRadius=1.6, svd=False,
                        sigma_noise=0.0, unnorm_shift=1.0, unnorm_scale=0.5, device='cpu')
    torch.manual_seed(0)
    f = torch.rand(a.batch, 1, 128, 128)
    if a.what == 'is_forward':
        def g():
            with torch.no_grad(): op.forward(f)
        run(g)
    else:
        with torch.no_grad(): y = op.forward(f)
        def g():
            ff = f.clone().requires_grad_(True); torch.autograd.grad(op.forward(ff), ff, grad_outputs=y)
        run(g)
elif a.what == 'fwi_forward':
    try:
        from inverse_problems.acoustic import AcousticWave  # noqa: F401  (devito, dask)
    except Exception as e:  # the reference's FWI needs devito + dask.distributed, not packaged for Debian
        print(f'reference {a.what} batch={a.batch} threads={a.threads} unavailable ({type(e).__name__}: {e})'); sys.exit(0)
    print(f'reference {a.what} batch={a.batch} threads={a.threads} unavailable (not wired)'); sys.exit(0)
elif a.what.startswith('mri_'):
    import types
    stub = types.ModuleType('training.dataset'); stub.MultiCoilMRIData = object   # its h5py/lmdb/sigpy imports are unused here
    sys.modules.setdefault('training', types.ModuleType('training')); sys.modules['training.dataset'] = stub
    from inverse_problems.multi_coil_mri import MultiCoilMRI
    op = MultiCoilMRI(total_lines=320, acceleration_ratio=4, pattern='random', mask_seed=0, device='cpu')
    torch.manual_seed(0)
    op.maps = torch.randn(1, 15, 320, 320, dtype=torch.complex64)
    x = torch.randn(a.batch, 2, 320, 320)
    if a.what == 'mri_forward':
        def g():
            with torch.no_grad(): op.forward(x)
        run(g)
    else:
        with torch.no_grad(): y = op.forward(x)
        def g():
            xx = x.clone().requires_grad_(True); torch.autograd.grad(op.forward(xx), xx, grad_outputs=y)
        run(g)
else:
    from inverse_problems.navier_stokes import ForwardNavierStokes2d
    field = torch.from_numpy(np.load(a.field))[0:1] if a.field else torch.randn(1, 1, 128, 128)
    op = ForwardNavierStokes2d(forward_time=1.0, Re=200.0, resolution=128, downsample_factor=2, sigma_noise=0.0,
                               unnorm_scale=10.0, adaptive=True, delta_t=0.002, device='cpu')
    xb = field.repeat(a.batch, 1, 1, 1)
    run(lambda: op.forward(xb))
