#!/usr/bin/env bash
# Packs InverseBench.Core into a local folder feed, creates a console app OUTSIDE the repository that references it plus
# TorchSharp-cpu, and runs a tensor op with no extra step. On Debian 12 / Ubuntu 22.04 this exercises the build step shipped
# in the package (buildTransitive/InverseBench.Core.targets), which marks GLIBCXX_3.4.32 weak in the app's copy of
# libLibTorchSharp.so. Usage: eng/consumer-check.sh [work-dir]
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="${1:-$(mktemp -d /tmp/inversebench-consumer.XXXXXX)}"
feed="$work/feed"
version="0.0.0-consumercheck.$(date +%s)"
app="$work/app"
mkdir -p "$feed" "$app"
dotnet pack "$repo/InverseBench.Core/InverseBench.Core.csproj" -c Release -o "$feed" -p:Version="$version" >/dev/null
cat > "$app/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="local" value="$feed" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
  </packageSources>
</configuration>
XML
cat > "$app/ConsumerApp.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="InverseBench.Core" Version="$version" />
    <PackageReference Include="TorchSharp-cpu" Version="0.107.0" />
  </ItemGroup>
</Project>
XML
cat > "$app/Program.cs" <<'CS'
using TorchSharp;
// A plain TorchSharp call first (works because the package's build step patched the output copy), then our API.
var sum = torch.ones(3).sum().item<float>();
var status = InverseBench.Core.Runtime.TorchRuntime.EnsureInitialized();
Console.WriteLine($"sum={sum} fix={status.Fix}");
return sum == 3f ? 0 : 1;
CS
# Keep the consumer away from the repository's Directory.Build.* files.
touch "$app/Directory.Build.props" "$app/Directory.Build.targets"
echo "<Project />" > "$app/Directory.Build.props"; echo "<Project />" > "$app/Directory.Build.targets"
dotnet run --project "$app/ConsumerApp.csproj"
