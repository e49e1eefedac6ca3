#!/usr/bin/env bash
# Consumer checks for the packages, as a user outside this repository sees them:
#  1. packs the solution (every library, package validation on, and the `inversebench` tool for this machine's platform)
#     into a local folder feed under a fresh pre-release version, building in an isolated artifacts folder;
#  2. (a) creates a console app in a fresh folder that references InverseBench.Operators.NavierStokes, .Algorithms,
#     .Evaluation and TorchSharp-cpu from that feed, solves one tiny Navier-Stokes problem with the fluent API and checks
#     the run's metric against InverseBench.Evaluation's own RelativeL2;
#  3. (b) installs the tool from the feed (`dotnet tool install --tool-path ... --add-source <feed> inversebench`) and runs
#     a tiny `inversebench run ...` in a fresh folder, checking the files it writes.
# On Debian 12 / Ubuntu 22.04 both exercise the TorchSharp GLIBCXX fix shipped in InverseBench.Core (build step in the
# consumer's build, the patched copy inside the tool package). Lines starting with "consumer:" and "tool:" report the
# results. The pre-release packages are removed from the NuGet global packages folder at the end.
# Usage: eng/consumer-check.sh [work-dir]      (the work dir must be outside the repository; default: a new temp dir,
#        removed at the end unless INVERSEBENCH_KEEP_CONSUMER_CHECK=1; it holds ~4 GB while the check runs)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
remove_work=0
if [[ $# -ge 1 ]]; then work="$1"; else
  work="$(mktemp -d "${TMPDIR:-/tmp}/inversebench-consumer.XXXXXX")"
  [[ "${INVERSEBENCH_KEEP_CONSUMER_CHECK:-0}" == 1 ]] || remove_work=1
fi
mkdir -p "$work"
work="$(cd "$work" && pwd)"
case "$work/" in "$repo"/*) echo "the work dir must be outside the repository: $work" >&2; exit 2 ;; esac
feed="$work/feed"
version="0.1.0-consumercheck.$(date +%Y%m%d%H%M%S).$$"
rid="$(dotnet --info | awk '/^ *RID:/ { print $2; exit }')"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
global_packages="$(dotnet nuget locals global-packages --list | sed -E 's/^[^:]*: *//')"
cleanup() {
  # Our throw-away pre-release versions only (never anything else in the global packages folder).
  for dir in "$global_packages"/inversebench*/"$version"; do
    [[ -d "$dir" ]] && { rm -rf "$dir"; rmdir --ignore-fail-on-non-empty "$(dirname "$dir")"; }
  done
  [[ $remove_work == 1 ]] && rm -rf "$work"
  return 0
}
trap cleanup EXIT
mkdir -p "$feed" "$work/app" "$work/tool-run"
echo "consumer: packing $version ($rid tool) into $feed"
# The repository's Directory.Build.props sends all outputs to INVERSEBENCH_ARTIFACTS: nothing under the working tree changes.
INVERSEBENCH_ARTIFACTS="$work/artifacts" dotnet pack "$repo/InverseBench.sln" -c Release -o "$feed" -nologo -v q -tl:off \
  -p:Version="$version" -p:ToolPackageRuntimeIdentifiers="$rid"

cat > "$work/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="local" value="$feed" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
  </packageSources>
</configuration>
XML
# Keep the consumer away from any Directory.Build.* further up.
echo "<Project />" > "$work/Directory.Build.props"; echo "<Project />" > "$work/Directory.Build.targets"
echo "<Project />" > "$work/Directory.Packages.props"

# (a) a console app on the three packages, fluent API.
cat > "$work/app/ConsumerApp.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="InverseBench.Operators.NavierStokes" Version="$version" />
    <PackageReference Include="InverseBench.Algorithms" Version="$version" />
    <PackageReference Include="InverseBench.Evaluation" Version="$version" />
    <PackageReference Include="TorchSharp-cpu" Version="0.107.0" />
  </ItemGroup>
</Project>
XML
cat > "$work/app/Program.cs" <<'CS'
using InverseBench.Core.Fluent;
using InverseBench.Core.Running;
using InverseBench.Evaluation;
using InverseBench.Operators.NavierStokes.Data;
using TorchSharp;

// A plain TorchSharp call first: it works because the package's build step patched the app's copy of the native library.
float sum = torch.ones(3).sum().item<float>();
using var run = InverseBenchRun.Create(seed: 0)
    .Problem(p => p.NavierStokes(o => o.Resolution = 16,
        dataset: new SyntheticNavierStokesDataset(new() { Count = 1, Resolution = 16 }, new torch.Generator(0))))
    .Prior(p => p.GaussianField(o => o.Resolution = 16))
    .Solver(s => s.Enkg(o => { o.NumSteps = 2; o.EnsembleSize = 8; o.BatchSize = 8; }))
    .Build();
using BenchmarkReport report = run.Execute();
SampleReport sample = report.Samples[0];
double reported = report.Aggregate["relative l2"].Mean;
double recomputed = Metrics.RelativeL2(sample.Reconstruction, sample.Target).mean().item<float>();
Console.WriteLine($"consumer: sum={sum} relative L2 = {reported:F4} (recomputed {recomputed:F4}), " +
                  $"runtime fix {InverseBench.Core.Runtime.TorchRuntime.Status.Fix}");
bool ok = sum == 3f && double.IsFinite(reported) && reported > 0 && Math.Abs(reported - recomputed) <= 1e-3 * Math.Max(1, reported);
Console.WriteLine(ok ? "consumer: OK" : "consumer: FAILED");
return ok ? 0 : 1;
CS
(cd "$work/app" && dotnet run -c Release -nologo -tl:off)

# (b) the installed tool, run from a fresh folder.
dotnet tool install --tool-path "$work/tool" --add-source "$feed" --version "$version" inversebench \
  --configfile "$work/nuget.config" >/dev/null
echo "tool: installed inversebench $version into $work/tool"
cd "$work/tool-run"
OMP_NUM_THREADS=1 "$work/tool/inversebench" run problem=navier-stokes algorithm=enkg problem.model.resolution=16 \
  problem.data.resolution=16 problem.data.id_list=0 algorithm.method.num_steps=2 algorithm.method.num_samples=8 \
  algorithm.method.batch_size=8 exp_name=consumer-check
out="$work/tool-run/exps/inference/navier-stokes-ds2/EnKG/consumer-check"
for file in metrics.json result_0.png; do
  [[ -s "$out/$file" ]] || { echo "tool: FAILED, $out/$file missing"; exit 1; }
done
echo "tool: OK, $out/metrics.json: $(tr -s '\n ' ' ' < "$out/metrics.json" | head -c 160)"
