// A whole HTTP app over the memory store for route tests: triggers answer with a run, outside systems throw (so a
// route that gets past the guard answers something other than 401/403, whatever it does).

import { createMemoryStore } from '../../adapters/store/memory.js';
import type { Grant } from '../../core/access.js';
import { SlipwayError } from '../../core/errors.js';
import { EventBus } from '../../core/events.js';
import type { Store } from '../../core/ports/store.js';
import { createAccess, type Access } from '../access.js';
import { Apps } from '../apps.js';
import { AppConfigOps } from '../app-config.js';
import { hashToken, newToken } from '../auth.js';
import { ForgeHooks } from '../forges.js';
import { RunOps } from '../runs.js';
import { ScheduleOps } from '../schedules.js';
import { StackOps } from '../stacks.js';
import type { Triggers } from '../triggers.js';
import { httpApp } from './server.js';

const sealer = {
  seal: (v: string) => `v1:${Buffer.from(v).toString('base64')}`,
  open: (v: string) => ({ reveal: () => Buffer.from(v.slice(3), 'base64').toString() }) as never,
};

export async function testHttpApp(options: { now?: () => Date; warn?: (line: string) => void } = {}) {
  const store: Store = createMemoryStore();
  for (const name of ['web', 'api']) await store.createApp({ name, domain: `${name}.example.com`, port: 3000, replicas: 1, branch: 'main' });
  const runs = {
    web: await store.createRun({ app: 'web', source: 'git', ref: 'refs/heads/main', commit: 'a'.repeat(40) }),
    api: await store.createRun({ app: 'api', source: 'git', ref: 'refs/heads/main', commit: 'b'.repeat(40) }),
  };
  const bus = new EventBus();
  const triggers = new Proxy({}, {
    get: (_t, name: string) => async () => (name === 'push' ? { run: null, note: 'nothing' } : runs.web),
  }) as Triggers;
  // not_found: a route that reaches an outside system answers 404 (and the error mapping stays quiet).
  const nothing = new Proxy({}, { get: (_t, name: string) => () => { throw new SlipwayError('not_found', `${String(name)} reached`); } });
  const apps = new Apps({ store, bus, engine: nothing as never, repos: { ensure: async () => undefined }, queue: { kick: () => undefined }, routes: { sync: async () => undefined, stackServiceOf: async () => null, leave: async () => undefined } as never, instance: 't', httpsPort: 443, publicUrl: 'http://127.0.0.1:7070' });
  const access: Access = createAccess({
    store, sealer, warn: options.warn ?? (() => undefined), kdf: { N: 1024, r: 8, p: 1 },
    ...(options.now !== undefined && { now: options.now }),
  });
  const http = httpApp({
    apps, triggers, store, bus, engine: nothing as never, repos: nothing as never, instance: 't', version: 'test',
    runs: new RunOps({ store, bus, apps, queue: { capacity: 1 }, cancellations: nothing as never, sealer }),
    schedules: new ScheduleOps({ store, apps, scheduler: nothing as never }),
    forges: new ForgeHooks({ store, apps, repos: { ensure: async () => undefined, probe: async () => undefined }, sealer, publicUrl: 'http://x' }),
    hookUrl: 'http://127.0.0.1/internal/git/received', hookToken: 'hook-token',
    stacks: new StackOps({ store, apps, engine: nothing as never, enqueue: nothing as never, deploys: nothing as never, instance: 't' }),
    config: new AppConfigOps({ store, apps, sealer, triggers }),
    access,
  });
  /** A fresh API token with these grants. */
  const tokenFor = async (grants: readonly Grant[], name = 'test'): Promise<string> => {
    const token = newToken();
    await store.createToken(name, hashToken(token), { grants });
    return token;
  };
  const send = async (method: string, path: string, token: string | null, body?: unknown) => {
    const res = await http.request(path, {
      method,
      headers: { ...(token !== null && { authorization: `Bearer ${token}` }), 'content-type': 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, json: (text.startsWith('{') ? JSON.parse(text) : null) as Record<string, unknown> | null };
  };
  return { store, http, access, runs, tokenFor, send };
}
