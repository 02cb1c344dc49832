#!/usr/bin/env bash
# Installs what Slipway needs on a fresh Debian 12 machine and starts the Docker engine.
# Idempotent: run it as often as you like. Slipway itself (`slipway up`) starts Swarm, the registry and the edge.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v dockerd >/dev/null 2>&1 || need_apt+=(docker.io)
command -v git >/dev/null 2>&1 || need_apt+=(git)
# Used only to make base images on machines that cannot pull them (scripts/local-images.sh).
command -v caddy >/dev/null 2>&1 || need_apt+=(caddy)
command -v docker-registry >/dev/null 2>&1 || need_apt+=(docker-registry)
[ -x /bin/busybox ] || need_apt+=(busybox-static)
# The ACME test CA, for the local demo and the tests (never Let's Encrypt from a test).
command -v pebble >/dev/null 2>&1 || need_apt+=(pebble)
command -v openssl >/dev/null 2>&1 || need_apt+=(openssl)
if [ "${#need_apt[@]}" -gt 0 ]; then
  echo "installing ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if ! docker info >/dev/null 2>&1; then
  echo "starting dockerd"
  mkdir -p /var/log
  nohup dockerd >/var/log/dockerd.log 2>&1 &
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
  docker info >/dev/null 2>&1 || { echo "dockerd did not start; see /var/log/dockerd.log" >&2; exit 1; }
fi

bash scripts/local-images.sh

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-fund --no-audit
fi
# Build only when a source changed since the last build (issue 16: start in seconds, not a full tsc every time).
stamp=dist/.built
if [ ! -f "$stamp" ] || [ -n "$(find src bin scripts/build-web.mjs tsconfig.json package.json package-lock.json -newer "$stamp" -print -quit)" ]; then
  npm run build --silent
  touch "$stamp"
fi
