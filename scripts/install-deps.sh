#!/usr/bin/env bash
# Installs the system packages LoadTree needs, only when they are missing.
# Safe to run repeatedly: on a machine that has everything it does nothing.
set -euo pipefail

packages=(pkg-config zlib1g-dev libnghttp2-dev)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}"
fi

if ! command -v swift >/dev/null 2>&1; then
  echo "install-deps: the Swift toolchain (6.1 or newer) is not on PATH; install it from swift.org" >&2
  exit 1
fi
