#!/usr/bin/env bash
# One command to try Slipway on this machine: installs what is missing, then `slipway up` with the sample app.
# Certificates come from a local ACME test CA (Pebble) because this machine has no public domain;
# on a server with DNS pointing at it, run `node bin/slipway.js up --acme-email you@example.com` instead.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
exec node bin/slipway.js up --local-acme "$@"
