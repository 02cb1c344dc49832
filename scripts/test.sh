#!/usr/bin/env bash
# Installs everything on a fresh Debian 12 machine and runs all tests (unit, integration, end-to-end) on the
# real components: dockerd + Swarm, the CNCF registry, Caddy, Pebble, git, SQLite and Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

# Chromium drives the dashboard test; everything else comes from install.sh.
if ! command -v chromium >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
fi
bash scripts/install.sh

npm test
