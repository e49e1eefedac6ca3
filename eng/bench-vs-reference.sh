#!/usr/bin/env bash
# Times the Python reference and InverseBench.NET back to back on this machine, interleaved, and prints the ratios
# project/reference (< 1: the project is faster). Compare ratios from one run only: shared machines are noisy.
#
# Usage: eng/bench-vs-reference.sh [--quick] [--rounds N] [--repeats N] [--threads N] [--reference-work DIR] [--cases "a b"]
#   REFERENCE_GIT_DIR  InverseBench git repository or mirror (default /work/.mirror/devzhk+InverseBench/repo); prepared
#                      by shared/tools/reference-bench/setup.sh into --reference-work (default /tmp/inversebench-reference)
#   --rounds N         interleaved rounds: each round runs the reference, then the project, once per case (default 2)
#   --repeats N        timed calls per process after one warm-up call (default 2); the ratio uses the median over rounds
#   --quick            1 round of 1 timed call per case (~5 min)
# Cases: nfe, nfe_vjp (EDM+DhariwalUNet 128x128, batch 1), ns:1, ns:16 (Navier-Stokes forward), is_forward, is_adjoint
# (inverse scattering, batch 1), fwi_forward, mri_forward:1, mri_adjoint:1, mri_forward:8, mri_adjoint:8 (knee 320x320,
# 15 coils). The reference's "adjoint" is the autograd VJP of its forward (it has no hand-written adjoint).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rounds=2; repeats=2; threads=2
work=${TMPDIR:-/tmp}/inversebench-reference
cases="nfe nfe_vjp ns:1 ns:16 is_forward:1 is_adjoint:1 fwi_forward:1 mri_forward:1 mri_adjoint:1 mri_forward:8 mri_adjoint:8"
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) rounds=1; repeats=1 ;;
    --rounds) rounds=$2; shift ;;
    --repeats) repeats=$2; shift ;;
    --threads) threads=$2; shift ;;
    --reference-work) work=$2; shift ;;
    --cases) cases=$2; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
ref_git=${REFERENCE_GIT_DIR:-/work/.mirror/devzhk+InverseBench/repo}
setup=$root/../shared/tools/reference-bench/setup.sh
[ -f "$setup" ] || setup=/work/shared/tools/reference-bench/setup.sh
[ -d "$work/ib" ] || bash "$setup" "$ref_git" "$work"

dotnet build "$root/benchmarks/InverseBench.Benchmarks" -c Release -v q -nologo >/dev/null
dll=$(find "$root/benchmarks/InverseBench.Benchmarks/bin/Release" -name InverseBench.Benchmarks.dll | head -1)
export OMP_NUM_THREADS=$threads
# Both sides must solve the same Navier-Stokes field (the CFL step count depends on it): the first field of the fixture
# res128_adaptive_x.npy, which the project's timing entry reads through INVERSEBENCH_FIXTURES.
fixtures=${INVERSEBENCH_FIXTURES:-$root/../shared/fixtures}
[ -d "$fixtures" ] || fixtures=/work/shared/fixtures
export INVERSEBENCH_FIXTURES=$fixtures
ns_field=$fixtures/operators/navier_stokes/res128_adaptive_x.npy
results=$(mktemp)
median() { sort -g | awk '{a[NR]=$1} END {if (NR==0) print "nan"; else if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
for r in $(seq 1 "$rounds"); do
  for c in $cases; do
    name=${c%%:*}; batch=1; [ "$c" != "$name" ] && batch=${c#*:}
    extra=()
    if [ "$name" = ns ]; then
      if [ ! -f "$ns_field" ]; then echo "round $r $c | skipped: $ns_field is absent (the two sides would solve different fields)" >&2; echo "$c nan nan" >>"$results"; continue; fi
      extra=(--field "$ns_field")
    fi
    ref=$(cd "$work" && /usr/bin/python3 "$root/eng/bench_reference.py" "$work" "$name" --batch "$batch" --threads "$threads" --repeats "$repeats" "${extra[@]}" 2>/dev/null | grep '^reference' || true)
    proj=$(dotnet "$dll" time "$name" --batch "$batch" --threads "$threads" --repeats "$repeats" 2>/dev/null | grep '^project' || true)
    echo "round $r $c | $ref | $proj" >&2
    rm=$(sed -n 's/.*median_ms=\([0-9.]*\).*/\1/p' <<<"$ref"); pm=$(sed -n 's/.*median_ms=\([0-9.]*\).*/\1/p' <<<"$proj")
    echo "$c ${rm:-nan} ${pm:-nan}" >>"$results"
  done
done
echo
echo "Side by side, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), load average $(cut -d' ' -f1-3 /proc/loadavg),"
echo "threads $threads, $rounds round(s) x $repeats call(s), PyTorch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)') vs TorchSharp (medians, ms)"
printf '| %-14s | %14s | %14s | %17s |\n' case reference project project/reference
printf '|%s|%s|%s|%s|\n' "----------------" "---------------:" "---------------:" "------------------:"
for c in $cases; do
  rm=$(awk -v c="$c" '$1==c && $2!="nan" {print $2}' "$results" | median)
  pm=$(awk -v c="$c" '$1==c && $3!="nan" {print $3}' "$results" | median)
  ratio=$(awk -v a="$pm" -v b="$rm" 'BEGIN { if (a=="nan" || b=="nan" || b==0) print "n/a"; else printf "%.2f", a/b }')
  printf '| %-14s | %14s | %14s | %17s |\n' "$c" "$rm" "$pm" "$ratio"
done
rm -f "$results"
