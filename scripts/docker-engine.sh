#!/usr/bin/env bash
# Makes sure a Docker engine answers and prints `export DOCKER_HOST=...` as its LAST line
# (scripts/test.sh and .ci/run eval it). Order:
#   1. an engine already answering on $DOCKER_HOST (or the default socket) is used as it is;
#   2. otherwise Debian's docker.io is installed if dockerd is missing (busybox-static for the test
#      images and docker-compose for the benchmark best effort: a failure only warns), and dockerd is
#      started on a private socket with its own data root, so it never fights a system engine;
#   3. we wait until it answers, or fail with the tail of its log.
# Idempotent: a second run finds the engine from the first one and only prints the export line.
set -euo pipefail

PRIVATE_SOCK=/run/dockyard/docker.sock
PRIVATE_HOST="unix://${PRIVATE_SOCK}"
DATA_ROOT=/var/lib/dockyard-docker
EXEC_ROOT=/run/dockyard/exec
LOG=/var/log/dockyard-dockerd.log
TIMEOUT="${DOCKYARD_ENGINE_TIMEOUT:-60}"

log() { echo "docker-engine: $*" >&2; }

answers() { # $1 = DOCKER_HOST value ('' = the client's default)
  if [ -n "$1" ]; then DOCKER_HOST="$1" timeout 10 docker info >/dev/null 2>&1; else (unset DOCKER_HOST; timeout 10 docker info >/dev/null 2>&1); fi
}

have_client() { command -v docker >/dev/null 2>&1; }

# 1. An engine that already answers.
if have_client; then
  if [ -n "${DOCKER_HOST:-}" ] && answers "$DOCKER_HOST"; then echo "export DOCKER_HOST=${DOCKER_HOST}"; exit 0; fi
  if answers "$PRIVATE_HOST"; then echo "export DOCKER_HOST=${PRIVATE_HOST}"; exit 0; fi
  if [ -S /var/run/docker.sock ] && answers "unix:///var/run/docker.sock"; then echo "export DOCKER_HOST=unix:///var/run/docker.sock"; exit 0; fi
fi

# 2. Install what is missing (Debian packages only; nothing is pulled from a registry). Only docker.io
#    is required to start the engine, and only when dockerd or the client is missing; busybox-static
#    (test images) and docker-compose (benchmark) are best effort: a failure is a warning, so an
#    installed dockerd still starts (e.g. with no apt mirror reachable).
BUSYBOX="${DOCKYARD_BUSYBOX:-/bin/busybox}"
apt_install() { # $@ = packages; returns apt's status
  export DEBIAN_FRONTEND=noninteractive
  if [ -z "${APT_UPDATED:-}" ]; then apt-get update -qq >&2 || return 1; APT_UPDATED=1; fi
  apt-get install -y -qq "$@" >&2
}
if ! command -v dockerd >/dev/null 2>&1 || ! have_client; then
  if [ "$(id -u)" != 0 ]; then log "dockerd or the docker client is missing and this is not root: apt-get install docker.io"; exit 1; fi
  log "installing docker.io with apt-get"
  apt_install docker.io || { log "could not install docker.io with apt-get (see above); install it and run this again"; exit 1; }
fi
optional=()
{ [ -x "$BUSYBOX" ] && "$BUSYBOX" --list 2>/dev/null | grep -x httpd >/dev/null; } || optional+=(busybox-static)
command -v docker-compose >/dev/null 2>&1 || optional+=(docker-compose)
for pkg in "${optional[@]}"; do
  if [ "$(id -u)" != 0 ]; then log "warning: ${pkg} is missing (not root, not installed); the engine starts without it"; continue; fi
  log "installing ${pkg} with apt-get (optional)"
  apt_install "$pkg" || log "warning: could not install ${pkg} with apt-get; the engine starts without it (test images need busybox-static, the benchmark docker-compose)"
done
if [ -n "${DOCKYARD_ENGINE_INSTALL_ONLY:-}" ]; then log "install step done (DOCKYARD_ENGINE_INSTALL_ONLY)"; exit 0; fi
if [ "$(id -u)" != 0 ]; then log "no engine answers and starting dockerd needs root"; exit 1; fi

mkdir -p /run/dockyard "$DATA_ROOT" "$EXEC_ROOT" "$(dirname "$LOG")"
PIDFILE=/run/dockyard/dockerd.pid
if [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
  log "dockerd (pid $(cat "$PIDFILE")) is starting already; waiting for it"
else
  rm -f "$PIDFILE" "$PRIVATE_SOCK"
  log "starting dockerd on ${PRIVATE_HOST} (log: ${LOG})"
  # setsid + nohup: the engine outlives this script and the test run that started it.
  setsid nohup dockerd \
    --host "$PRIVATE_HOST" \
    --data-root "$DATA_ROOT" \
    --exec-root "$EXEC_ROOT" \
    --pidfile "$PIDFILE" \
    >>"$LOG" 2>&1 </dev/null &
fi

# 3. Wait until it answers.
for _ in $(seq 1 "$((TIMEOUT * 2))"); do
  if answers "$PRIVATE_HOST"; then echo "export DOCKER_HOST=${PRIVATE_HOST}"; exit 0; fi
  sleep 0.5
done
log "dockerd did not answer on ${PRIVATE_HOST} within ${TIMEOUT}s; last lines of ${LOG}:"
tail -n 30 "$LOG" >&2 || true
exit 1
