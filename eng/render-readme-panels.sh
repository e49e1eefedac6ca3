#!/usr/bin/env bash
# Regenerates the README's result panels (docs/figures/*.png): one small run per problem with the shipped configs,
# synthetic data and no official checkpoint (Navier–Stokes: the shipped small prior; the others: no prior or the analytic
# one), each panel copied from the run's result_0.png. Takes a few minutes on 2 cores.
# Usage: eng/render-readme-panels.sh [work-dir]
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="${1:-$(mktemp -d "${TMPDIR:-/tmp}/inversebench-panels.XXXXXX")}"
mkdir -p "$work" "$repo/docs/figures"
dotnet build -c Release "$repo/samples/InverseBench.Cli" -v q -nologo
cli() { dotnet "$repo/samples/InverseBench.Cli/bin/Release/net10.0/inversebench.dll" run "exp_dir=$work" results=none problem.data.id_list=0 "$@"; }
panel() { cp "$work/$1/result_0.png" "$repo/docs/figures/$2.png"; echo "docs/figures/$2.png"; }

cli problem=navier-stokes algorithm=dps problem.model.resolution=32 problem.data.resolution=32 problem.model.forward_time=0.5 \
  +problem.model.enable_gradient=true algorithm.method.diffusion_scheduler_config.num_steps=200 algorithm.method.guidance_scale=0.3 exp_name=readme
panel navier-stokes-ds2/DPS/readme navier-stokes-dps
cli problem=inv-scatter algorithm=adam
panel inverse-scatter-linear/AdamL2/default inv-scatter-adam
cli problem=multi-coil-mri-knee algorithm=cs_mri
panel multi-coil-mri/CS-MRI-L1Wavelet/default mri-knee-cs_mri
cli problem=blackhole algorithm=adam pretrain=blackhole
panel blackhole/AdamL2/default blackhole-adam
cli problem=fwi algorithm=adam pretrain=fwi "problem.model.shape=[64,64]" problem.model.nshots=8 problem.model.nreceivers=64 \
  problem.model.src_depth=100.0 algorithm.method.num_steps=30
panel fwi-acoustic/AdamL2/default fwi-adam
cli problem=ffhq256_sr algorithm=ddrm pretrain=ffhq256
panel ffhq256-sr/DDRM/default ffhq256_sr-ddrm
