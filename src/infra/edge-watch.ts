// Re-attaches the edge to the app and stack networks when its task was replaced (a new container starts with only the
// networks of its service spec: container-level attachments die with it). Networks left pending (a new app before its
// first task runs here) are joined by the route sync after the deploy, never while that task is starting.

import { asSlipwayError } from '../core/errors.js';
import type { EdgeNetworks } from '../edge/edge-networks.js';

export interface EdgeWatchOptions {
  /** How often the edge's containers are listed (one Engine API call); default 1 s, the longest a new edge waits. */
  readonly intervalMs?: number;
  readonly say: (line: string) => void;
}

/** Starts watching; returns the stop function. A failed check is said once per distinct message and tried again. */
export function watchEdgeNetworks(networks: EdgeNetworks, opts: EdgeWatchOptions): () => void {
  let lastError = '';
  let running = false;
  const tick = async (): Promise<void> => {
    if (running) return;
    running = true;
    try {
      if (await networks.stale()) {
        const result = await networks.reconcile();
        if (result.connected.length > 0) opts.say(`edge: new container attached to ${result.connected.length} app/stack network(s)`);
      }
      lastError = '';
    } catch (err) {
      const message = asSlipwayError(err).message;
      if (message !== lastError) opts.say(`edge: re-attaching networks failed (tried again): ${message}`);
      lastError = message;
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), opts.intervalMs ?? 1_000);
  timer.unref();
  return () => clearInterval(timer);
}
