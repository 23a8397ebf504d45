# Sourced (not run) by the wrappers: repository root, and a clear message when dotnet is missing.
# Everything else happens in tools/Workbook, the same on every OS (global.json asks for the .NET 10 SDK).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if ! command -v dotnet >/dev/null; then
  echo "The workbook needs the .NET 10 SDK (dotnet 10.0.x). Install it from https://dot.net/download, or open the devcontainer." >&2
  exit 1
fi
