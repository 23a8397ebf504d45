#!/usr/bin/env bash
# Runs the tests: library unit tests, data tests on the real files (from the mirror) and the
# notebook smoke test (every notebook under dotnet-repl in quick mode).
source "$(dirname "$0")/common.sh"

dotnet tool restore
bash scripts/pack.sh
dotnet test DlWorkbook.sln -nologo "$@"
