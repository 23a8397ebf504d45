#!/usr/bin/env bash
# Sets up everything the workbook needs and runs every notebook headless, writing executed copies
# (with their outputs) to out/notebooks/. Pass --quick for the shrunken CI-sized run.
source "$(dirname "$0")/common.sh"

bash scripts/ensure-libstdcxx.sh
dotnet tool restore
bash scripts/pack.sh
dotnet build tools/NotebookRunner -c Release -nologo -v quiet -clp:ErrorsOnly
dotnet tools/NotebookRunner/bin/Release/net10.0/NotebookRunner.dll --out out/notebooks "$@"
dotnet run --project tools/SiteBuilder -c Release -- --notebooks out/notebooks --out out/site
