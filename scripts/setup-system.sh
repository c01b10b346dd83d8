#!/usr/bin/env bash
# Installs and starts what the MLE-bench sandboxes need (README "System packages"). Idempotent;
# needs root (apt). Safe to re-run.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

pkgs=(bubblewrap python3-numpy python3-pandas python3-scipy python3-sklearn python3-pil docker.io debootstrap util-linux)
missing=()
for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup-system: installing ${missing[*]}"
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
