#!/usr/bin/env bash
# Makes the base images Slipway and its tests use, on machines that cannot pull from Docker Hub.
# Each image gets its official name (busybox:latest, node:20-slim, caddy:2, registry:2) so the product's
# default code paths are the ones exercised. Where an image exists already (pulled or made earlier) it is kept.
set -euo pipefail

have_image() { docker image inspect "$1" >/dev/null 2>&1; }
try_pull() { timeout 20 docker pull -q "$1" >/dev/null 2>&1; }

# copy_with_libs DEST BINARY...: copies binaries plus the shared libraries ldd lists, keeping their paths.
copy_with_libs() {
  local dest=$1; shift
  local bin lib
  for bin in "$@"; do
    mkdir -p "$dest$(dirname "$bin")"
    cp -L "$bin" "$dest$bin"
    for lib in $(ldd "$bin" 2>/dev/null | grep -o '/[^ ]*' || true); do
      mkdir -p "$dest$(dirname "$lib")"
      cp -L "$lib" "$dest$lib"
    done
  done
}

add_busybox() {
  local dest=$1
  mkdir -p "$dest/bin" "$dest/tmp" "$dest/etc"
  cp /bin/busybox "$dest/bin/busybox"
  local applet
  for applet in sh ls cat echo env sleep nc httpd mkdir rm cp mv printf grep sed wget true false test id kill ps; do
    ln -sf busybox "$dest/bin/$applet"
  done
  echo 'root:x:0:0:root:/root:/bin/sh' >"$dest/etc/passwd"
  echo 'root:x:0:' >"$dest/etc/group"
  chmod 1777 "$dest/tmp"
}

make_image() { # make_image NAME DIR [docker import --change ...]
  local name=$1 dir=$2; shift 2
  tar -C "$dir" -c . | docker import "$@" - "$name" >/dev/null
  echo "made $name"
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if ! have_image busybox:latest && ! try_pull busybox:latest; then
  add_busybox "$work/busybox"
  make_image busybox:latest "$work/busybox" -c 'ENV PATH=/bin' -c 'CMD ["sh"]'
fi

if ! have_image node:20-slim && ! try_pull node:20-slim; then
  add_busybox "$work/node"
  mkdir -p "$work/node/usr/local/bin"
  copy_with_libs "$work/node" "$(command -v node)"
  cp -L "$(command -v node)" "$work/node/usr/local/bin/node"
  mkdir -p "$work/node/app"
  make_image node:20-slim "$work/node" -c 'ENV PATH=/usr/local/bin:/usr/bin:/bin' -c 'CMD ["node"]'
fi

if ! have_image caddy:2 && ! try_pull caddy:2; then
  add_busybox "$work/caddy"
  copy_with_libs "$work/caddy" /usr/bin/caddy
  mkdir -p "$work/caddy/etc/ssl/certs" "$work/caddy/data" "$work/caddy/config" "$work/caddy/etc/caddy"
  cp /etc/ssl/certs/ca-certificates.crt "$work/caddy/etc/ssl/certs/"
  make_image caddy:2 "$work/caddy" -c 'ENV PATH=/usr/bin:/bin' -c 'ENV XDG_CONFIG_HOME=/config' -c 'ENV XDG_DATA_HOME=/data' \
    -c 'CMD ["caddy","run","--config","/etc/caddy/Caddyfile","--adapter","caddyfile"]'
fi

if ! have_image registry:2 && ! try_pull registry:2; then
  add_busybox "$work/registry"
  copy_with_libs "$work/registry" /usr/bin/docker-registry
  mkdir -p "$work/registry/bin" "$work/registry/etc/docker/registry" "$work/registry/var/lib/registry"
  ln -sf /usr/bin/docker-registry "$work/registry/bin/registry"
  make_image registry:2 "$work/registry" -c 'ENV PATH=/usr/bin:/bin' \
    -c 'ENTRYPOINT ["registry"]' -c 'CMD ["serve","/etc/docker/registry/config.yml"]'
fi
