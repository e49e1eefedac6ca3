#!/usr/bin/env python3
"""Generates the tiny golden files of the E2E-MRI network tests (E2ENetworkGoldenTests.cs).

Runs the reference's own models/e2e/varnet.py and unet.py (read from the InverseBench git mirror) with the genuine
fastmri helpers (fftc.py, math.py, coil_combine.py, data/transforms.py read from a fastMRI git mirror) on tiny,
randomly initialised networks, and writes into Golden/:
  varnet.pt, unet.pt        torch.save({'ema': state_dict}) of each network (the reference's checkpoint layout)
  kspace.npy                masked k-space [1, C, H, W, 2] float32 (VarNet input)
  mask.npy                  bool column mask [W] (the reference's MultiCoilMRI.get_mask, random pattern)
  varnet_maps.npy           sensitivity maps [1, C, H, W, 2] (sens_net output)
  varnet_out.npy            VarNet output [1, 1, H, W]
  unet_kspace.npy           masked k-space [1, C, H2, W2, 2] (odd pooled sizes: exercises the reflect padding)
  unet_out.npy              ResidualUNet output [1, 1, H2, W2]
  manifest.json             sizes, architectures and tolerances

Only the reference's model and operator files are imported; its heavy imports (training.dataset, the package
__init__ files) are replaced by empty stand-ins, which the imported code does not use.

Usage: /usr/bin/python3 generate_e2e_golden.py [--reference-git-dir DIR] [--fastmri-git-dir DIR] [--out DIR]
"""
import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import types

import numpy as np
import torch


def git_show(git_dir, path):
    return subprocess.run(["git", "--git-dir", git_dir, "show", "HEAD:" + path], check=True,
                          capture_output=True, text=True).stdout


def load_module(name, source, filename):
    spec = importlib.util.spec_from_loader(name, loader=None, origin=filename)
    module = importlib.util.module_from_spec(spec)
    module.__file__ = filename
    sys.modules[name] = module
    exec(compile(source, filename, "exec"), module.__dict__)
    return module


def package(name):
    module = types.ModuleType(name)
    module.__path__ = []
    sys.modules[name] = module
    return module


def install_imports(reference, fastmri_dir):
    # fastmri: the genuine helper files, without the package __init__ (which imports h5py, pandas, ...).
    fm = package("fastmri")
    fftc = load_module("fastmri.fftc", git_show(fastmri_dir, "fastmri/fftc.py"), "fastmri/fftc.py")
    fmath = load_module("fastmri.math", git_show(fastmri_dir, "fastmri/math.py"), "fastmri/math.py")
    fm.fft2c, fm.ifft2c = fftc.fft2c_new, fftc.ifft2c_new
    fm.fftshift, fm.ifftshift, fm.roll = fftc.fftshift, fftc.ifftshift, fftc.roll
    for n in ("complex_abs", "complex_abs_sq", "complex_conj", "complex_mul"):
        setattr(fm, n, getattr(fmath, n))
    combine = load_module("fastmri.coil_combine", git_show(fastmri_dir, "fastmri/coil_combine.py"), "fastmri/coil_combine.py")
    fm.rss, fm.rss_complex = combine.rss, combine.rss_complex
    data = package("fastmri.data")
    subsample = types.ModuleType("fastmri.data.subsample")
    subsample.MaskFunc = object
    sys.modules["fastmri.data.subsample"] = subsample
    data.transforms = load_module("fastmri.data.transforms", git_show(fastmri_dir, "fastmri/data/transforms.py"),
                                  "fastmri/data/transforms.py")
    fm.data = data
    # The reference: its operator (for MultiCoilMRI.ifft/get_mask) and the two model files.
    package("inverse_problems")
    load_module("inverse_problems.base", git_show(reference, "inverse_problems/base.py"), "inverse_problems/base.py")
    package("training")
    dataset = types.ModuleType("training.dataset")
    dataset.MultiCoilMRIData = object
    sys.modules["training.dataset"] = dataset
    mri = load_module("inverse_problems.multi_coil_mri", git_show(reference, "inverse_problems/multi_coil_mri.py"),
                      "inverse_problems/multi_coil_mri.py")
    package("models")
    package("models.e2e")
    unet = load_module("models.e2e.unet", git_show(reference, "models/e2e/unet.py"), "models/e2e/unet.py")
    varnet = load_module("models.e2e.varnet", git_show(reference, "models/e2e/varnet.py"), "models/e2e/varnet.py")
    return mri, unet, varnet


def randomise(net, generator):
    with torch.no_grad():
        for p in net.parameters():
            p.copy_(torch.randn(p.shape, generator=generator) * 0.3 + (1.0 if p.numel() == 1 else 0.0))


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--reference-git-dir", default=os.environ.get("REFERENCE_GIT_DIR", "/work/.mirror/devzhk+InverseBench/repo"))
    ap.add_argument("--fastmri-git-dir", default=os.environ.get("FASTMRI_GIT_DIR", "/work/.mirror/facebookresearch+fastMRI/repo"))
    ap.add_argument("--out", default=os.path.join(here, "Golden"))
    a = ap.parse_args()
    mri, unet, varnet = install_imports(a.reference_git_dir, a.fastmri_git_dir)
    os.makedirs(a.out, exist_ok=True)
    torch.set_num_threads(1)
    g = torch.Generator().manual_seed(1234)

    coils, h, w = 3, 20, 24
    mask_lines = mri.MultiCoilMRI.get_mask(acs_lines=int(np.floor(0.08 * w)), total_lines=w, R=3, pattern="random", seed=0)
    mask = torch.from_numpy(mask_lines[None, None, None, :].astype(bool))
    kspace = torch.randn(1, coils, h, w, 2, generator=g)
    masked = (kspace * mask.unsqueeze(-1)).float()
    arch = dict(num_cascades=2, sens_chans=2, sens_pools=2, chans=3, pools=2)
    vnet = varnet.VarNet(**arch)
    randomise(vnet, g)
    vnet.eval()
    with torch.no_grad():
        maps = vnet.sens_net(masked, mask.unsqueeze(-1))
        out = vnet(masked, mask.unsqueeze(-1))
    torch.save({"ema": vnet.state_dict()}, os.path.join(a.out, "varnet.pt"))
    np.save(os.path.join(a.out, "mask.npy"), mask_lines.astype(bool))
    np.save(os.path.join(a.out, "kspace.npy"), masked.numpy())
    np.save(os.path.join(a.out, "varnet_maps.npy"), maps.numpy())
    np.save(os.path.join(a.out, "varnet_out.npy"), out.numpy())

    h2, w2 = 18, 22
    uarch = dict(chans=2, num_pool_layers=2)
    unet_kspace = torch.randn(1, coils, h2, w2, 2, generator=g).float()
    rnet = unet.ResidualUNet(**uarch)
    randomise(rnet, g)
    rnet.eval()
    with torch.no_grad():
        uout = rnet(unet_kspace, torch.ones(1, 1, 1, w2, 1, dtype=torch.bool))
    torch.save({"ema": rnet.state_dict()}, os.path.join(a.out, "unet.pt"))
    np.save(os.path.join(a.out, "unet_kspace.npy"), unet_kspace.numpy())
    np.save(os.path.join(a.out, "unet_out.npy"), uout.numpy())

    manifest = {
        "generator": "generate_e2e_golden.py (reference models/e2e/*.py, fastmri helpers, torch " + torch.__version__ + ")",
        "varnet": {"architecture": arch, "coils": coils, "height": h, "width": w, "keys": list(vnet.state_dict().keys())},
        "unet": {"architecture": uarch, "coils": coils, "height": h2, "width": w2, "keys": list(rnet.state_dict().keys())},
        # float32 networks: both sides accumulate rounding differently (convolution algorithms, FFT plans).
        "tolerance": {"relative": 1e-4},
    }
    with open(os.path.join(a.out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    print("wrote", a.out, sorted(os.listdir(a.out)))


if __name__ == "__main__":
    main()
