#!/usr/bin/env bash
# TorchSharp 0.107's native library needs GLIBCXX_3.4.32 (GCC 13's libstdc++).
# Debian 12 ships GCC 12's; take libstdc++6 alone from Debian 13 (trixie), pinned low
# so nothing else moves. Does nothing where the symbol is already there.
set -euo pipefail

# awk reads all of ldconfig's output (no early exit) so ldconfig never dies of SIGPIPE under pipefail.
lib=$(ldconfig -p 2>/dev/null | awk '/libstdc\+\+\.so\.6 .*x86-64/ && !found {print $NF; found = 1}' || true)
lib=${lib:-/lib/x86_64-linux-gnu/libstdc++.so.6}
if grep -q GLIBCXX_3.4.32 "$lib" 2>/dev/null; then
  echo "libstdc++: GLIBCXX_3.4.32 present ($lib)"
  exit 0
fi

if ! grep -qs '^ID=debian' /etc/os-release; then
  echo "libstdc++ at $lib lacks GLIBCXX_3.4.32, which TorchSharp needs." >&2
  echo "Install GCC 13's libstdc++6 or newer from your distribution (see README, Troubleshooting)." >&2
  exit 1
fi
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi

echo "libstdc++: GLIBCXX_3.4.32 missing; installing libstdc++6 from Debian 13 (trixie), pinned low"
mirror=$(grep -rhoE '^URIs: *https?://[^ ]+/debian/?$' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -1 | awk '{print $2}')
mirror=${mirror:-http://deb.debian.org/debian}
$SUDO tee /etc/apt/sources.list.d/trixie.sources >/dev/null <<SRC
Types: deb
URIs: $mirror
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
$SUDO tee /etc/apt/preferences.d/trixie-low >/dev/null <<PIN
Package: *
Pin: release n=trixie
Pin-Priority: 100
PIN
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq -t trixie libstdc++6 >/dev/null
grep -q GLIBCXX_3.4.32 "$lib" || { echo "libstdc++ still lacks GLIBCXX_3.4.32 after the install" >&2; exit 1; }
echo "libstdc++: GLIBCXX_3.4.32 now present"
