// Keep-alive HTTP load on a local port that records when requests failed.
//
// Keep-alive HTTP load on 127.0.0.1:<port> (the plain Swarm service's host-mode port), like https-client.ts load()
// but also recording when failures happened, so the outage window can be reported independently of the loop rate.

import { Agent, request } from 'node:http';

export interface LoadResult {
  readonly ok: number;
  readonly failed: number;
  /** Distinct error messages with their counts (at most 10 kinds). */
  readonly errors: Map<string, number>;
  readonly bodies: Set<string>;
  readonly durationMs: number;
  /** From the first to the last failed request, or 0. */
  readonly failureWindowMs: number;
}

export interface HttpLoad {
  stop(): Promise<LoadResult>;
}

export function httpLoad(port: number, clients = 8, limits = { maxMs: 180_000, maxRequests: 5_000_000 }): HttpLoad {
  const agent = new Agent({ keepAlive: true, maxSockets: clients * 2 });
  const started = Date.now();
  let running = true;
  let ok = 0;
  let failed = 0;
  let firstFailure: number | null = null;
  let lastFailure = 0;
  const errors = new Map<string, number>();
  const bodies = new Set<string>();
  const fail = (message: string) => {
    failed++;
    const now = Date.now();
    firstFailure ??= now;
    lastFailure = now;
    if (errors.has(message) || errors.size < 10) errors.set(message, (errors.get(message) ?? 0) + 1);
  };
  const loop = async () => {
    // Bounded in time and count whatever happens to stop().
    while (running && Date.now() - started < limits.maxMs && ok + failed < limits.maxRequests) {
      try {
        const res = await get(agent, port);
        if (res.status === 200) {
          ok++;
          bodies.add(res.body.replace(/, task [0-9a-f]+/, '').trim());
        } else fail(`HTTP ${res.status}`);
      } catch (err) {
        fail((err as Error).message);
      }
    }
  };
  const loops = Array.from({ length: clients }, loop);
  return {
    async stop() {
      running = false;
      await Promise.all(loops);
      agent.destroy();
      return { ok, failed, errors, bodies, durationMs: Date.now() - started, failureWindowMs: firstFailure === null ? 0 : lastFailure - firstFailure };
    },
  };
}

export function get(agent: Agent | false, port: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', agent, timeout: 10_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

/** Polls until 127.0.0.1:<port> answers 200 with a body matching `expected`. */
export async function waitForHttp(port: number, expected: RegExp, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const res = await get(false, port);
      if (res.status === 200 && expected.test(res.body)) return;
      last = `HTTP ${res.status} ${res.body.slice(0, 100)}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`127.0.0.1:${port} never answered ${expected}; last: ${last}`);
}
