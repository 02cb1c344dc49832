// Where the HTTP surface listens: the plain TCP port (loopback by default) and, when Slipway has its own domain, a
// unix socket in the edge's folder that Caddy proxies HTTPS to, so the API never needs a public plain-HTTP port.

import { chmod, rm } from 'node:fs/promises';
import { createAdaptorServer, serve, type ServerType } from '@hono/node-server';

type Fetch = (req: Request) => Response | Promise<Response>;

export function listenTcp(fetch: Fetch, hostname: string, port: number): Promise<ServerType> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, hostname, port }, () => resolve(server));
    server.once('error', reject);
  });
}

/** Listens on a unix socket, replacing one a killed process left behind; only root (the edge) may connect. */
export async function listenUnix(fetch: Fetch, path: string): Promise<ServerType> {
  await rm(path, { force: true });
  const server = createAdaptorServer({ fetch });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  await chmod(path, 0o600);
  return server;
}

export function closeServer(server: ServerType): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
