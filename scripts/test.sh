#!/usr/bin/env bash
# Runs the tests: library unit tests, data tests on the real files (from the mirror) and the
# notebook smoke test (every notebook in quick mode, in dotnet-interactive and in dotnet-repl).
source "$(dirname "$0")/common.sh"

dotnet tool restore
bash scripts/pack.sh
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test DlWorkbook.sln -nologo "$@" 2>&1 | tee "$log" || status=$?
# One plain closing line for CI: "N passed, N failed".
summary=$(grep -E '^(Passed|Failed)! ' "$log" | tail -1 || true)
passed=$(sed -nE 's/.*Passed: *([0-9]+).*/\1/p' <<<"$summary")
failed=$(sed -nE 's/.*Failed: *([0-9]+),.*/\1/p' <<<"$summary")
echo "tests: ${passed:-0} passed, ${failed:-0} failed"
[ -n "$summary" ] || { echo "test: dotnet test printed no summary (build error?)" >&2; exit 1; }
exit "$status"
