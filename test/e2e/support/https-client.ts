// Requests to an app through the real edge: HTTPS on 127.0.0.1 with the app's domain as SNI and Host,
// verified against the local ACME CA's root — so a passing request proves a real certificate was issued.

import { Agent, request } from 'node:https';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestSlipway } from './slipway-process.js';

export interface AppClient {
  get(path?: string): Promise<{ status: number; body: string }>;
  /** Sends requests from `clients` keep-alive loops until stop() is called; counts failures. */
  load(clients?: number): { stop(): Promise<{ ok: number; failed: number; errors: string[]; bodies: Set<string> }> };
  close(): void;
}

export async function appClient(slipway: TestSlipway, domain: string): Promise<AppClient> {
  const ca = await readFile(join(slipway.dataDir, 'local-ca.pem'), 'utf8');
  const agent = new Agent({ keepAlive: true, maxSockets: 16, ca });
  const get = (path = '/') =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: slipway.httpsPort, path, servername: domain, headers: { host: domain }, agent, timeout: 10_000 },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (d: string) => (body += d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', reject);
      req.end();
    });
  return {
    get,
    load(clients = 8) {
      let running = true;
      let ok = 0;
      let failed = 0;
      const errors: string[] = [];
      const bodies = new Set<string>();
      const started = Date.now();
      const loop = async () => {
        // Bounded: stops when asked, and never runs longer than 5 minutes.
        while (running && Date.now() - started < 300_000) {
          try {
            const res = await get('/');
            if (res.status === 200) {
              ok++;
              bodies.add(res.body.replace(/, task [0-9a-f]+/, ''));
            } else {
              failed++;
              if (errors.length < 10) errors.push(`HTTP ${res.status}: ${res.body.slice(0, 100)}`);
            }
          } catch (err) {
            failed++;
            if (errors.length < 10) errors.push((err as Error).message);
          }
        }
      };
      const loops = Array.from({ length: clients }, loop);
      return {
        async stop() {
          running = false;
          await Promise.all(loops);
          return { ok, failed, errors, bodies };
        },
      };
    },
    close: () => agent.destroy(),
  };
}

/** Retries until the app answers 200 (the certificate may still be on its way right after app creation). */
export async function waitForBody(client: AppClient, expected: RegExp, timeoutMs = 60_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const res = await client.get('/');
      last = `${res.status} ${res.body}`;
      if (res.status === 200 && expected.test(res.body)) return res.body;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`app never answered ${expected}; last: ${last}`);
}
