#!/usr/bin/env bash
# Installs and starts what the MLE-bench sandboxes need (README "System packages"). Idempotent;
# needs root (apt, dockerd, debootstrap). Safe to re-run; the first run takes about two minutes
# (the Docker image is debootstrapped from the Debian mirror), later runs a second.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

# chromium: the report test opens report.html headless; python3-torch: the Python client's GRPO example;
# g++, make, libopenblas-dev: the optional native matmul that `npm ci` builds (scripts/build-native.mjs).
pkgs=(bubblewrap python3-numpy python3-pandas python3-scipy python3-sklearn python3-pil docker.io debootstrap util-linux chromium python3-torch g++ make libopenblas-dev)
missing=()
for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup-system: installing ${missing[*]}"
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The Docker sandbox: a private daemon (its own socket, data-root and no iptables, so it coexists
# with a system Docker) and the Python image built from the Debian mirror. Both steps are no-ops
# when already done. EXITGYM_SKIP_DOCKER=1 skips them on machines that cannot run dockerd; the
# Docker tests then skip with one line each.
here="$(cd "$(dirname "$0")" && pwd)"
if [ "${EXITGYM_SKIP_DOCKER:-0}" != 1 ]; then
  sh "$here/docker-daemon.sh" start
  DOCKER_HOST="${DOCKER_HOST:-unix:///run/exitgym-docker.sock}" sh "$here/build-python-image.sh"
fi
