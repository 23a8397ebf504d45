#!/usr/bin/env bash
# Times every notebook as a plain C# program (out/apps, `dotnet run`) against the same notebook in dotnet-interactive:
# generating the programs, each program's first build (what a learner's first `dotnet run` after setup adds), its
# run once built, and the notebook's run in the notebook runner. Quick mode unless --full is given.
# The machine's load is printed beside every number: on a busy machine the times mean little.
source "$(dirname "$0")/../scripts/common.sh"

quick=(--quick)
if [ "${1:-}" = "--full" ]; then quick=(); fi
[ ${#quick[@]} -gt 0 ] && export DLWORKBOOK_QUICK=1 || export DLWORKBOOK_QUICK=0
apps=out/bench-apps
notebooks=out/bench-notebooks
load() { cut -d' ' -f1 /proc/loadavg; }
seconds() { local start=$1; echo "$(( $(date +%s%N) - start ))" | awk '{printf "%.1f", $1 / 1e9}'; }

bash scripts/pack.sh >/dev/null
dotnet build tools/AppGenerator -c Release -nologo -v quiet -clp:ErrorsOnly
rm -rf "$apps"
echo "generation (load $(load)):"
# A fresh folder: every program is built from scratch on its first run.
dotnet tools/AppGenerator/bin/Release/net10.0/AppGenerator.dll --out "$apps" | tail -1 || true

declare -A build run
for program in "$apps"/*.cs; do
  name=$(basename "$program" .cs)
  start=$(date +%s%N); dotnet build "$program" >/dev/null 2>&1 || echo "$name: the build failed"; build[$name]="$(seconds "$start") (load $(load))"
  # Built and unchanged: `dotnet run` starts the program without a build step.
  start=$(date +%s%N); dotnet run "$program" >/dev/null 2>&1 || echo "$name: the program failed"; run[$name]="$(seconds "$start") (load $(load))"
  dotnet clean "$program" -v quiet >/dev/null 2>&1 || true
done

dotnet build tools/NotebookRunner -c Release -nologo -v quiet -clp:ErrorsOnly
runner=$(dotnet tools/NotebookRunner/bin/Release/net10.0/NotebookRunner.dll --out "$notebooks" "${quick[@]}" 2>&1 || true)

printf '%-40s %-24s %-24s %s\n' "notebook" "program: first build" "program: run" "notebook in dotnet-interactive"
for program in "$apps"/*.cs; do
  name=$(basename "$program" .cs)
  notebook=$(grep -E "^(ok|FAIL) +$name.ipynb" <<<"$runner" | sed -E 's/.*, ([0-9.]+ s) .*/\1/' || true)
  printf '%-40s %-24s %-24s %s\n' "$name" "${build[$name]} s" "${run[$name]} s" "${notebook:-?}"
done
rm -rf "$apps" "$notebooks"
