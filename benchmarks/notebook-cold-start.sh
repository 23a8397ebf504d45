#!/usr/bin/env bash
# Measures a notebook's cold start in each host: kernel start, course package restore and extension load,
# up to the first tensor printed, through the notebook runner (dotnet-interactive over stdio, the kernel VS
# Code runs, and dotnet-repl). Run after the setup (or pack) command once. Prints the machine's load too:
# timings taken while other programs use the cores are not comparable.
# Usage: bash benchmarks/notebook-cold-start.sh [RUNS] [HOST ...]   (hosts: interactive repl; default both)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
shift || true
hosts=("$@")
[ ${#hosts[@]} -gt 0 ] || hosts=(interactive repl)

dotnet build tools/NotebookRunner -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
runner=tools/NotebookRunner/bin/Release/net10.0/NotebookRunner.dll
tmp=$(mktemp -d)
# The notebook must sit inside the repository so its nuget.config finds the local package.
trap 'rm -rf "$tmp" notebooks/.cold-start.ipynb' EXIT
# Each cell notes the seconds since the kernel's process started; an assembly-load hook notes when the first
# assembly of the course package's dependencies loads, which ends package resolution and starts the extensions.
cat > notebooks/.cold-start.ipynb <<'NB'
{"cells":[
 {"cell_type":"code","metadata":{"polyglot_notebook":{"kernelName":"csharp"}},"outputs":[],"source":["var t0 = System.Diagnostics.Process.GetCurrentProcess().StartTime.ToUniversalTime();\n","var marks = new System.Collections.Concurrent.ConcurrentQueue<(string, double)>();\n","void Mark(string what) => marks.Enqueue((what, (DateTime.UtcNow - t0).TotalSeconds));\n","Mark(\"host\");\n","AppDomain.CurrentDomain.AssemblyLoad += (_, e) => { if (e.LoadedAssembly.GetName().Name is \"TorchSharp\" or \"Plotly.NET\" or \"Deedle\" or \"DlWorkbook\") Mark(\"resolved\"); };"]},
 {"cell_type":"code","metadata":{"polyglot_notebook":{"kernelName":"csharp"}},"outputs":[],"source":["Mark(\"before #r\");"]},
 {"cell_type":"code","metadata":{"polyglot_notebook":{"kernelName":"csharp"}},"outputs":[],"source":["#r \"nuget: DlWorkbook, *-*\""]},
 {"cell_type":"code","metadata":{"polyglot_notebook":{"kernelName":"csharp"}},"outputs":[],"source":["Mark(\"loaded\");"]},
 {"cell_type":"code","metadata":{"polyglot_notebook":{"kernelName":"csharp"}},"outputs":[],"source":["TorchSharp.torch.arange(6).reshape(2, 3)"]},
 {"cell_type":"code","metadata":{"polyglot_notebook":{"kernelName":"csharp"}},"outputs":[],"source":["Mark(\"tensor\");\n","Console.WriteLine(string.Join(\" \", marks.GroupBy(m => m.Item1).Select(g => $\"{g.Key}={g.Min(m => m.Item2):F2}\")));"]}],
 "metadata":{"kernelspec":{"display_name":".NET (C#)","language":"C#","name":".net-csharp"},"language_info":{"name":"polyglot-notebook"}},
 "nbformat":4,"nbformat_minor":5}
NB
echo "load before: $(uptime | sed 's/.*load average/load average/')"
for host in "${hosts[@]}"; do
  for i in $(seq "$runs"); do
    start=$(date +%s%N)
    dotnet "$runner" --host "$host" --out "$tmp/$host" --timeout 300 notebooks/.cold-start.ipynb >"$tmp/log" 2>&1 \
      || { cat "$tmp/log" >&2; echo "$host run $i: the notebook failed" >&2; exit 1; }
    end=$(date +%s%N)
    grep -q 'tensor(\[\[0, 1, 2\]' "$tmp/$host/.cold-start.ipynb" || { echo "$host run $i: the tensor was not printed" >&2; exit 1; }
    ms=$(( (end - start) / 1000000 ))
    printf '%-11s run %d: kernel start to first tensor printed: %d.%02d s\n' "$host" "$i" $((ms / 1000)) $((ms % 1000 / 10))
    # The parts, from the marks (seconds since the kernel process started): the host up to its first C# cell, package
    # resolution (#r until the first dependency assembly loads), the extensions (TorchSharp's natives, formatters,
    # the matmul hook) and the first tensor. The rest of the wall time is the runner and the process launch.
    marks=$(grep -o 'host=[^"\]*' "$tmp/$host/.cold-start.ipynb" | head -1)
    get() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<<"$marks"; }
    awk -v h="$(get host)" -v b="$(get 'before #r')" -v r="$(get resolved)" -v l="$(get loaded)" -v t="$(get tensor)" -v w="$ms" \
      'BEGIN { printf "            parts: host %.2f s, package resolution %.2f s, extensions %.2f s, first tensor %.2f s, launch and runner %.2f s\n", h, r - b, l - r, t - l, w / 1000 - t }'

  done
done
echo "load after:  $(uptime | sed 's/.*load average/load average/')"
