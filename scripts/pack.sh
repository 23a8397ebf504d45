#!/usr/bin/env bash
# Wrapper for the pack command: builds the course library and packs it into packages/ under a
# fresh version (see README, "Why every pack gets a new version").
source "$(dirname "$0")/common.sh"
exec dotnet run --project tools/Workbook -- pack
