#!/usr/bin/env bash
# What the learner can run on a GPU machine, for the day one is lent. Installs nothing and reaches
# nothing outside the machine: it only probes what is already there and runs the benches that can.
#
#   bash bench/gpu-check.sh [--quick]     # from the repository root; prints a report, exits 0
#
# Reports: the GPU (nvidia-smi), Node and the tfjs backends that start (tfjs-node-gpu needs its
# native libtensorflow, which the npm installer downloads, so it is normally absent), whether
# Debian's python3-torch sees CUDA, then the learner benches on the backend `auto` picks and, when
# torch sees CUDA, the PyTorch reference on the GPU. --quick skips the benches.
set -u
cd "$(dirname "$0")/.." || exit 1
quick=0
[ "${1:-}" = "--quick" ] && quick=1
say() { printf '%s\n' "$*"; }
section() { printf '\n== %s ==\n' "$*"; }

section "GPU"
if command -v nvidia-smi >/dev/null 2>&1; then
  nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader 2>&1 || say "nvidia-smi failed"
else
  say "no nvidia-smi on PATH"
fi

section "Node and tfjs"
if ! command -v node >/dev/null 2>&1; then say "no node on PATH: nothing of the learner can run"; exit 0; fi
say "node $(node --version)"
for pkg in @tensorflow/tfjs @tensorflow/tfjs-backend-wasm @tensorflow/tfjs-node-gpu @tensorflow/tfjs-node @tensorflow/tfjs-backend-webgpu; do
  if node -e "require.resolve('$pkg/package.json')" >/dev/null 2>&1; then
    say "$pkg: $(node -p "require('$pkg/package.json').version")"
  else
    say "$pkg: not installed"
  fi
done
say "backend choice:"
timeout 120 node --import tsx -e "
import('./trainer/backend.ts').then(async ({ selectBackend }) => {
  await selectBackend('auto', { log: (l) => console.log('  ' + l) });
});" 2>&1 || say "  backend selection failed (exit $?)"

section "PyTorch (Debian python3-torch)"
if [ -x /usr/bin/python3 ]; then
  timeout 60 /usr/bin/python3 -c "import torch; print('torch', torch.__version__, '| cuda available:', torch.cuda.is_available(), '|', torch.cuda.get_device_name(0) if torch.cuda.is_available() else 'no CUDA device')" 2>&1 || say "python3 has no usable torch"
else
  say "no /usr/bin/python3"
fi

if [ $quick = 1 ]; then say; say "(--quick: benches skipped)"; exit 0; fi

section "learner vs PyTorch (CPU reference, 2 threads)"
timeout 600 node --import tsx bench/grpo-vs-torch.ts --backend "$(node --import tsx -e "import('./trainer/backend.ts').then(async ({ selectBackend }) => console.log((await selectBackend('auto', { log: () => {} })).backend))" 2>/dev/null || echo wasm)" 2>&1 || say "grpo-vs-torch failed (exit $?)"

section "PyTorch reference on CUDA"
if /usr/bin/python3 -c "import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)" >/dev/null 2>&1; then
  timeout 300 /usr/bin/python3 bench/reference/grpo_step.py --device cuda 2>&1 || say "CUDA reference failed (exit $?)"
else
  say "skipped: torch sees no CUDA device"
fi

section "group generation"
timeout 300 node --import tsx bench/group-generate.ts 2>&1 || say "group-generate failed (exit $?)"
exit 0
