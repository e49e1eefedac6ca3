#!/usr/bin/env bash
# Regenerates every library's PublicAPI.Unshipped.txt (Microsoft.CodeAnalysis.PublicApiAnalyzers) from the code, in one
# build: the files are reset, the libraries are compiled with RS0016 as a warning, and each reported symbol is written
# to its project's file (sorted, so merges stay line-based). Run it after an intended public API change or after merging
# branches that add API, and commit the result. PublicAPI.Shipped.txt is never touched: removing a shipped member stays a
# build error (RS0017) until the entry is moved out deliberately (see README, Contributing).
# Usage: eng/update-public-api.sh
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT

# Libraries = the projects Directory.Build.props treats as such (not under samples/, tests/, benchmarks/, not *.Tests).
mapfile -t projects < <(find . -name '*.csproj' -not -path '*/bin/*' -not -path '*/obj/*' \
  -not -path './samples/*' -not -path './tests/*' -not -path './benchmarks/*' -not -name '*.Tests.csproj' | sort)
for project in "${projects[@]}"; do
  dir="$(dirname "$project")"
  [[ -f "$dir/PublicAPI.Shipped.txt" ]] || printf '#nullable enable\n' > "$dir/PublicAPI.Shipped.txt"
  printf '#nullable enable\n' > "$dir/PublicAPI.Unshipped.txt"   # changed input: every library recompiles
done

common=(-c Debug -v q -nologo -p:InverseBenchMultiTarget=false -p:TreatWarningsAsErrors=false)
# Pass 1 brings every library's dependencies up to date; pass 2 recompiles each library alone so that its RS0016
# warnings are reported even where pass 1 found the compile up to date.
for project in "${projects[@]}"; do
  dotnet build "$project" "${common[@]}" >/dev/null 2>&1 || dotnet build "$project" "${common[@]}"
done
for project in "${projects[@]}"; do
  dotnet build "$project" "${common[@]}" --no-dependencies --no-incremental >>"$log" 2>&1 || { cat "$log"; exit 1; }
done

python3 - "$log" <<'PY'
import collections, os, re, sys
pattern = re.compile(r"warning RS0016: Symbol '(.*)' is not part of the declared public API.*\[(.+?\.csproj)")
symbols = collections.defaultdict(set)
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    m = pattern.search(line)
    if m:
        symbols[os.path.dirname(m.group(2))].add(m.group(1))
for folder, entries in sorted(symbols.items()):
    path = os.path.join(folder, "PublicAPI.Unshipped.txt")
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("#nullable enable\n")
        for entry in sorted(entries, key=lambda s: s.lower()):
            f.write(entry + "\n")
    print(f"{os.path.relpath(path)}: {len(entries)} entries")
PY
