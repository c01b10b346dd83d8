#!/bin/sh
# Start, stop or query a private Docker daemon (Debian's docker.io) for the exitgym Docker sandbox.
#
# It has its own data-root, exec-root, pidfile and socket so it never touches a system Docker, and it
# runs without iptables or a bridge (sandboxes use NetworkMode "none", so neither is needed, and this
# machine kind cannot program iptables). Idempotent: `start` on a running daemon just reports it.
#
#   scripts/docker-daemon.sh start|stop|status
#   export DOCKER_HOST=unix:///run/exitgym-docker.sock
#
# Overridable: EXITGYM_DOCKER_ROOT (default /var/lib/exitgym-docker),
#              EXITGYM_DOCKER_SOCK (default /run/exitgym-docker.sock),
#              EXITGYM_DOCKER_WAIT (seconds to wait for readiness, default 30).
set -eu

ROOT=${EXITGYM_DOCKER_ROOT:-/var/lib/exitgym-docker}
SOCK=${EXITGYM_DOCKER_SOCK:-/run/exitgym-docker.sock}
EXEC_ROOT=${EXITGYM_DOCKER_EXEC_ROOT:-/run/exitgym-docker}
PIDFILE="$EXEC_ROOT.pid"
LOG="$ROOT.log"
WAIT=${EXITGYM_DOCKER_WAIT:-30}

ready() {
  # The socket answering /_ping is the only reliable readiness signal (the pidfile appears earlier).
  [ -S "$SOCK" ] && DOCKER_HOST="unix://$SOCK" docker version --format '{{.Server.Version}}' >/dev/null 2>&1
}

running_pid() {
  [ -f "$PIDFILE" ] || return 1
  pid=$(cat "$PIDFILE" 2>/dev/null) || return 1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

case "${1:-}" in
  start)
    if ready; then echo "exitgym dockerd already running on unix://$SOCK"; exit 0; fi
    command -v dockerd >/dev/null || { echo "dockerd not found: install Debian's docker.io (apt-get install -y docker.io)" >&2; exit 1; }
    if pid=$(running_pid); then
      echo "exitgym dockerd (pid $pid) is running but not answering yet; waiting" >&2
    else
      mkdir -p "$ROOT" "$EXEC_ROOT"
      rm -f "$SOCK"
      # setsid + nohup: the daemon must outlive the shell (and the CI step) that started it.
      setsid nohup dockerd \
        --data-root "$ROOT" --exec-root "$EXEC_ROOT" --pidfile "$PIDFILE" \
        --host "unix://$SOCK" --iptables=false --ip6tables=false --bridge=none \
        --log-level warn >"$LOG" 2>&1 </dev/null &
    fi
    i=0
    while ! ready; do
      i=$((i + 1))
      if [ "$i" -gt $((WAIT * 10)) ]; then
        echo "exitgym dockerd did not become ready within ${WAIT}s; last log lines from $LOG:" >&2
        tail -n 20 "$LOG" >&2 || true
        exit 1
      fi
      sleep 0.1
    done
    echo "exitgym dockerd ready on unix://$SOCK (export DOCKER_HOST=unix://$SOCK)"
    ;;
  stop)
    if pid=$(running_pid); then
      kill -TERM "$pid"
      i=0
      while kill -0 "$pid" 2>/dev/null; do
        i=$((i + 1))
        if [ "$i" -gt 300 ]; then echo "dockerd (pid $pid) did not stop within 30s" >&2; exit 1; fi
        sleep 0.1
      done
      echo "exitgym dockerd stopped"
    else
      echo "exitgym dockerd not running"
    fi
    ;;
  status)
    if ready; then echo "running on unix://$SOCK"; exit 0; fi
    echo "not running (socket unix://$SOCK)"; exit 3
    ;;
  *)
    echo "usage: $0 start|stop|status" >&2
    exit 2
    ;;
esac
