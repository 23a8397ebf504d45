#!/usr/bin/env bash
# Measures a notebook's cold start under dotnet-repl: kernel start, course package restore and
# extension load, up to the first tensor printed. Run after scripts/setup.sh (or pack.sh) once.
# Usage: bash benchmarks/notebook-cold-start.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/nb"
cat > "$tmp/nb/cold-start.ipynb" <<'NB'
{"cells":[
 {"cell_type":"code","metadata":{"polyglot_notebook":{"kernelName":"csharp"}},"outputs":[],"source":["#r \"nuget: DlWorkbook, *-*\""]},
 {"cell_type":"code","metadata":{"polyglot_notebook":{"kernelName":"csharp"}},"outputs":[],"source":["TorchSharp.torch.arange(6).reshape(2, 3)"]}],
 "metadata":{"kernelspec":{"display_name":".NET (C#)","language":"C#","name":".net-csharp"},"language_info":{"name":"polyglot-notebook"}},
 "nbformat":4,"nbformat_minor":5}
NB
# The notebook must sit inside the repository so its nuget.config finds the local package.
cp "$tmp/nb/cold-start.ipynb" notebooks/.cold-start.ipynb
trap 'rm -rf "$tmp" notebooks/.cold-start.ipynb' EXIT
for i in $(seq "$runs"); do
  start=$(date +%s%N)
  dotnet repl --run notebooks/.cold-start.ipynb --exit-after-run --output-path "$tmp/out.ipynb" --working-dir notebooks >/dev/null 2>&1
  end=$(date +%s%N)
  grep -q 'tensor(\[\[0, 1, 2\]' "$tmp/out.ipynb" || { echo "run $i: the tensor was not printed" >&2; exit 1; }
  ms=$(( (end - start) / 1000000 ))
  printf 'run %d: kernel start to first tensor printed: %d.%02d s\n' "$i" $((ms / 1000)) $((ms % 1000 / 10))
done
