#!/bin/sh
# Build the exitgym Docker sandbox image offline-from-a-registry: debootstrap a minimal Debian bookworm
# root filesystem, add Debian's python3 with numpy, pandas and scikit-learn (--no-install-recommends),
# and `docker import` it. Only the Debian mirror is needed, never a container registry.
#
#   DOCKER_HOST=unix:///run/exitgym-docker.sock scripts/build-python-image.sh [--force]
#
# Idempotent: does nothing when the image already exists (unless --force). The root filesystem tarball
# is cached (EXITGYM_IMAGE_CACHE, default /var/cache/exitgym), so a rebuild after `docker rmi` only
# re-imports it (seconds). Takes about a minute the first time; needs root (debootstrap, chroot).
#
# Overridable: EXITGYM_IMAGE (default exitgym-python:bookworm), EXITGYM_DEBIAN_MIRROR
# (default: the first deb.debian.org-style URI in /etc/apt, else http://deb.debian.org/debian),
# EXITGYM_IMAGE_PACKAGES (default: the host sandbox's stack, "python3 python3-numpy python3-pandas
# python3-scipy python3-sklearn python3-pil").
set -eu

IMAGE=${EXITGYM_IMAGE:-exitgym-python:bookworm}
CACHE=${EXITGYM_IMAGE_CACHE:-/var/cache/exitgym}
PACKAGES=${EXITGYM_IMAGE_PACKAGES:-python3 python3-numpy python3-pandas python3-scipy python3-sklearn python3-pil}
# The -v2 suffix names the rootfs layout (v2: /workspace owned by 65534); bump it when the layout changes.
# The package list is part of the name, so a cached rootfs is never reused for a different stack.
PKGHASH=$(echo "$PACKAGES" | tr -s ' ' '\n' | sort | sha256sum | cut -c1-12)
TARBALL="$CACHE/$(echo "$IMAGE" | tr ':/' '__')-rootfs-v2-$PKGHASH.tar"
FORCE=0
[ "${1:-}" = "--force" ] && FORCE=1

if [ "$FORCE" = 0 ] && [ "$(docker image inspect --format '{{ index .Config.Labels "exitgym.packages" }}' "$IMAGE" 2>/dev/null)" = "$PKGHASH" ]; then
  echo "image $IMAGE already exists with these packages (use --force to rebuild)"
  exit 0
fi


default_mirror() {
  # Reuse the machine's own apt mirror, so a proxy or local mirror configured there also works here.
  uri=$(grep -h '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -v security | head -n 1 || true)
  [ -n "$uri" ] || uri=$(grep -h '^deb ' /etc/apt/sources.list 2>/dev/null | awk '{print $2}' | head -n 1 || true)
  echo "${uri:-http://deb.debian.org/debian}"
}
MIRROR=${EXITGYM_DEBIAN_MIRROR:-$(default_mirror)}

if [ "$FORCE" = 1 ] || [ ! -s "$TARBALL" ]; then
  command -v debootstrap >/dev/null || { echo "debootstrap not found: apt-get install -y debootstrap" >&2; exit 1; }
  mkdir -p "$CACHE"
  ROOTFS=$(mktemp -d "$CACHE/rootfs.XXXXXX")
  cleanup() {
    for m in proc sys dev; do umount "$ROOTFS/$m" 2>/dev/null || true; done
    rm -rf "$ROOTFS"
  }
  trap cleanup EXIT INT TERM
  echo "debootstrap bookworm (minbase) from $MIRROR ..." >&2
  debootstrap --variant=minbase --include=python3-minimal bookworm "$ROOTFS" "$MIRROR" >"$ROOTFS.log" 2>&1 || {
    echo "debootstrap failed; last lines of $ROOTFS.log:" >&2; tail -n 20 "$ROOTFS.log" >&2; exit 1; }
  echo "installing $PACKAGES (no recommends) ..." >&2
  # debootstrap's resolver is too weak for scipy's dependency tree, so apt inside the chroot installs it.
  mount -t proc proc "$ROOTFS/proc"
  echo "deb $MIRROR bookworm main" >"$ROOTFS/etc/apt/sources.list"
  chroot "$ROOTFS" /bin/sh -c "export DEBIAN_FRONTEND=noninteractive; apt-get update -q && apt-get install -y -q --no-install-recommends $PACKAGES && apt-get clean" \
    >>"$ROOTFS.log" 2>&1 || { echo "apt-get in the chroot failed; last lines of $ROOTFS.log:" >&2; tail -n 20 "$ROOTFS.log" >&2; exit 1; }
  umount "$ROOTFS/proc"
  rm -rf "$ROOTFS"/var/lib/apt/lists/* "$ROOTFS"/var/cache/apt/*.bin "$ROOTFS"/usr/share/doc/* "$ROOTFS"/usr/share/man/*
  # The sandbox runs as nobody (65534) on a read-only root; its working dir is an anonymous volume
  # initialised from this folder, so the folder's owner becomes the volume's owner.
  mkdir -p "$ROOTFS/workspace"
  chown 65534:65534 "$ROOTFS/workspace"
  chmod 0755 "$ROOTFS/workspace"
  # Smoke-test the stack before caching it, so a broken rootfs never becomes an image.
  chroot "$ROOTFS" /usr/bin/python3 -c 'import numpy, pandas, sklearn' || { echo "python stack import failed in rootfs" >&2; exit 1; }
  # Written next to the final name and renamed, so an interrupted build never leaves a truncated cache.
  tar -C "$ROOTFS" -c . >"$TARBALL.tmp"
  mv "$TARBALL.tmp" "$TARBALL"
  rm -f "$ROOTFS.log"
fi

echo "docker import $TARBALL -> $IMAGE ..." >&2
docker import --change 'WORKDIR /workspace' --change 'ENV LANG=C.UTF-8' --change "LABEL exitgym.packages=$PKGHASH" "$TARBALL" "$IMAGE" >/dev/null
docker run --rm --network none "$IMAGE" /usr/bin/python3 -c 'import numpy, pandas, sklearn; print("numpy", numpy.__version__, "pandas", pandas.__version__, "sklearn", sklearn.__version__)'
echo "image $IMAGE ready"
