#!/usr/bin/env bash
# Builds the course library with its kernel extension and packs it into packages/ under a fresh
# version, so a notebook's `#r "nuget: DlWorkbook, *-*"` always gets this build (NuGet caches a
# package by id and version and would otherwise serve an older build of the same version).
set -euo pipefail
cd "$(dirname "$0")/.."

version="0.1.0-local.$(date -u +%Y%m%d%H%M%S)"
# nuget.config lists packages/ as a source; restore fails if the folder is missing.
mkdir -p packages
echo "pack: DlWorkbook $version"
dotnet build lib/DlWorkbook.Interactive -c Release -p:Version="$version" -nologo -v quiet -clp:ErrorsOnly \
  || { echo "pack: the build failed (errors above); nothing was packed." >&2; exit 1; }
rm -f packages/DlWorkbook.*.nupkg
dotnet pack lib/DlWorkbook -c Release --no-build -p:Version="$version" -o packages -nologo -v quiet -clp:ErrorsOnly \
  || { echo "pack: dotnet pack failed (errors above)." >&2; exit 1; }
[ -f "packages/DlWorkbook.$version.nupkg" ] || { echo "pack: packages/DlWorkbook.$version.nupkg was not written." >&2; exit 1; }

# Keep the NuGet cache from filling up with old local builds: keep the newest three.
cache="${NUGET_PACKAGES:-$HOME/.nuget/packages}/dlworkbook"
if [ -d "$cache" ]; then
  ls -1 "$cache" | sort | head -n -3 | while read -r old; do rm -rf "${cache:?}/$old"; done
fi
echo "$version" > packages/VERSION
echo "pack: wrote packages/DlWorkbook.$version.nupkg"
