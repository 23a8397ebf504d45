#!/usr/bin/env bash
# Wrapper for README's test command: library unit tests, data tests and the notebook smoke test,
# closing with "tests: N passed, N failed". Extra arguments go to dotnet test.
source "$(dirname "$0")/common.sh"
exec dotnet run --project tools/Workbook -- test "$@"
