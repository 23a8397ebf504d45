#!/usr/bin/env bash
# Wrapper for README's setup command: sets up everything and runs every notebook headless,
# writing executed copies to out/notebooks/. Pass --quick for the shrunken CI-sized run.
source "$(dirname "$0")/common.sh"
exec dotnet run --project tools/Workbook -- setup "$@"
