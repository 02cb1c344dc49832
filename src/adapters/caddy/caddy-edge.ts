// EdgePort on Caddy: loads the whole route set through the admin API, then persists it for restarts.

import { rename, writeFile } from 'node:fs/promises';
import type { EdgePort } from '../../core/ports/edge.js';
import type { Route } from '../../core/types.js';
import { CaddyAdminClient, isAdminNotListening } from './admin-client.js';
import type { EdgeSettings } from './config-types.js';
import { buildCaddyConfig, routesFromCaddyConfig } from './convert.js';

export interface CaddyEdgeOptions {
  /** Host path of the admin socket. */
  readonly adminSocketPath: string;
  /** Host path of the JSON config the edge container starts from (`caddy run --config`). */
  readonly configFile: string;
  readonly settings: EdgeSettings;
  /** How long to keep retrying while the admin socket is not up yet (edge starting/restarting); default 60 s. */
  readonly startupDeadlineMs?: number;
  /** Per admin API call; default 30 s. */
  readonly callTimeoutMs?: number;
}

const RETRY_INTERVAL_MS = 250;

/**
 * Calls are serialized: a later applyRoutes is loaded and written after an earlier one, so the file on disk
 * always matches what Caddy accepted last.
 */
export class CaddyEdge implements EdgePort {
  private readonly client: CaddyAdminClient;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: CaddyEdgeOptions) {
    this.client = new CaddyAdminClient({ socketPath: opts.adminSocketPath, timeoutMs: opts.callTimeoutMs });
  }

  applyRoutes(routes: readonly Route[]): Promise<void> {
    return this.serialized(async () => {
      const config = buildCaddyConfig(routes, this.opts.settings);
      await this.whenListening(() => this.client.load(config));
      // Only a config Caddy accepted is persisted: a restarted edge must never start from a rejected one.
      await writeFileAtomic(this.opts.configFile, `${JSON.stringify(config, null, 2)}\n`);
    });
  }

  currentRoutes(): Promise<Route[]> {
    return this.serialized(async () => routesFromCaddyConfig(await this.whenListening(() => this.client.getConfig())));
  }

  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async whenListening<T>(call: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + (this.opts.startupDeadlineMs ?? 60_000);
    for (;;) {
      try {
        return await call();
      } catch (err) {
        if (!isAdminNotListening(err) || Date.now() + RETRY_INTERVAL_MS > deadline) throw err;
      }
      await new Promise((r) => setTimeout(r, RETRY_INTERVAL_MS));
    }
  }
}

async function writeFileAtomic(path: string, content: string): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}-${Date.now()}`;
  await writeFile(tmp, content, { mode: 0o600 });
  await rename(tmp, path);
}
