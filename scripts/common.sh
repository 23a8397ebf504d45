# Sourced (not run) by the scripts: repository root, .NET checks and the data mirror default.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

if ! command -v dotnet >/dev/null || ! grep -q '^10\.' <<<"$(dotnet --list-sdks)"; then
  echo "The workbook needs the .NET 10 SDK (dotnet 10.0.x). Install it from https://dot.net, or open the devcontainer." >&2
  exit 1
fi

# Where the data sets come from: upstream URLs by default; a local copy laid out like
# ../shared/data when DLWORKBOOK_DATA_MIRROR names one (or when the course's shared folder sits beside the clone).
if [ -z "${DLWORKBOOK_DATA_MIRROR:-}" ] && [ -d ../shared/data ]; then
  DLWORKBOOK_DATA_MIRROR="$(cd ../shared/data && pwd)"
  export DLWORKBOOK_DATA_MIRROR
  echo "data: using the mirror $DLWORKBOOK_DATA_MIRROR"
fi
