#!/usr/bin/env bash
# Regenerates every library's PublicAPI.Unshipped.txt (Microsoft.CodeAnalysis.PublicApiAnalyzers) from the code.
# The Unshipped files are reset to their header, the libraries are compiled (Debug, net10.0, RS0016 left a warning), and
# each symbol RS0016 reports is written to its project's file, sorted ordinally, so the result depends on the code alone:
# running it twice gives the same files (idempotent), and merges of branches that add API are fixed by rerunning it.
# Run it after an intended public API change or after merging such branches, review `git diff -- '*PublicAPI*'`, commit.
# PublicAPI.Shipped.txt is never touched: removing or changing a shipped member stays a build error (RS0017) until the
# entry is moved out deliberately. A library without the two files (a new project) gets them.
# Usage: eng/update-public-api.sh
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT

# Libraries = the projects Directory.Build.props treats as such (not under samples/, tests/, benchmarks/, not *.Tests).
mapfile -t projects < <(git ls-files '*.csproj' | grep -v -E '^(samples|tests|benchmarks)/' | grep -v -E '\.Tests\.csproj$' | LC_ALL=C sort)
for project in "${projects[@]}"; do
  dir="$(dirname "$project")"
  [[ -f "$dir/PublicAPI.Shipped.txt" ]] || printf '#nullable enable\n' > "$dir/PublicAPI.Shipped.txt"
  # Rewriting the file (new content, new timestamp) is a changed compiler input: every library recompiles below.
  printf '#nullable enable\n' > "$dir/PublicAPI.Unshipped.txt"
  touch "$dir/PublicAPI.Unshipped.txt"
done

# A file logger with warnings only (no console formatting, no line wrapping); a library built as a dependency of a later
# one is up to date by then, so each library's warnings are reported exactly once (duplicates are merged anyway).
for project in "${projects[@]}"; do
  dotnet build "$project" -c Debug -nologo -v q -tl:off -p:InverseBenchMultiTarget=false -p:TreatWarningsAsErrors=false \
    "-flp:logfile=$log;append;warningsonly;verbosity=quiet" >/dev/null || {
    echo "build failed: $project" >&2
    dotnet build "$project" -c Debug -nologo -v q -tl:off -p:InverseBenchMultiTarget=false -p:TreatWarningsAsErrors=false >&2 || true
    exit 1
  }
done

python3 - "$log" "${projects[@]}" <<'PY'
import collections, os, re, sys
log, projects = sys.argv[1], sys.argv[2:]
pattern = re.compile(r"warning RS0016: Symbol '(.*)' is not part of the declared public API.*\[(.+?\.csproj)")
symbols = collections.defaultdict(set)
for line in open(log, encoding="utf-8", errors="replace"):
    m = pattern.search(line)
    if m:
        symbols[os.path.relpath(os.path.dirname(m.group(2)))].add(m.group(1))
for project in projects:
    folder = os.path.dirname(project)
    entries = sorted(symbols.get(folder, ()), key=lambda s: (s.lower(), s))
    path = os.path.join(folder, "PublicAPI.Unshipped.txt")
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("#nullable enable\n")
        f.writelines(entry + "\n" for entry in entries)
    print(f"{path}: {len(entries)} entries")
PY
