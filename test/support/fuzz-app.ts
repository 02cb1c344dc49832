// The real HTTP app (routes, schemas, auth, triggers) over a memory store, an in-memory git and a real upload reader,
// for the abuse and fuzz suites: what they send goes through everything a request meets except Docker.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { FakeGit } from '../../src/adapters/git/fake-git.js';
import { createMemoryStore } from '../../src/adapters/store/memory.js';
import { Apps } from '../../src/api/apps.js';
import { hashToken } from '../../src/api/auth.js';
import { ForgeHooks } from '../../src/api/forges.js';
import { httpApp } from '../../src/api/http/server.js';
import { RunOps } from '../../src/api/runs.js';
import { readAll } from '../../src/api/testing.js';
import { ScheduleOps } from '../../src/api/schedules.js';
import { StackOps } from '../../src/api/stacks.js';
import { AppConfigOps } from '../../src/api/app-config.js';
import { createAccess } from '../../src/api/access.js';
import { DeployLock } from '../../src/run/deploy-lock.js';
import { wireTriggers } from '../../src/api/triggers.js';
import { SlipwayError } from '../../src/core/errors.js';
import { EventBus } from '../../src/core/events.js';
import type { GitPort } from '../../src/core/ports/git.js';
import type { Store } from '../../src/core/ports/store.js';
import { RunSources } from '../../src/trigger/sources.js';

export const TOKEN = 'slw_abuse-test-token';
export const HOOK_TOKEN = 'abuse-hook-token';
export const WEBHOOK_SECRET = 'abuse-webhook-secret-0123456789';
export const REPO_URL = 'https://forge.test/acme/web.git';

export interface TestApp {
  readonly http: Hono;
  readonly store: Store;
  readonly git: GitPort;
  /** The forge behind REPO_URL: commit to it, then deliver a webhook naming the commit. */
  readonly forge: FakeGit;
  /** Engine and scheduler calls: a refused request must never get this far. */
  readonly reached: string[];
  send(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; text: string; json: unknown; hung: boolean }>;
  close(): Promise<void>;
}

/** Small limits so a bomb is refused within milliseconds. */
export const TEST_UPLOAD_LIMITS = { maxBytes: 1024 * 1024, maxUnpackedBytes: 4 * 1024 * 1024, maxEntries: 2_000 };

export interface TestAppOptions {
  /** The app repositories (default: an in-memory git whose REPO_URL is `forge`). */
  readonly git?: GitPort;
  /** The repository the app follows (default REPO_URL). */
  readonly repoUrl?: string;
}

export async function testApp(options: TestAppOptions = {}): Promise<TestApp> {
  const dir = await mkdtemp(join(tmpdir(), 'slipway-abuse-'));
  const store = createMemoryStore();
  await store.createToken('admin', hashToken(TOKEN));
  const bus = new EventBus();
  const fake = new FakeGit();
  const forge = new FakeGit();
  await forge.ensure('web');
  forge.commit('web', 'main', { Dockerfile: 'FROM alpine\n' });
  fake.addRemote(REPO_URL, forge, 'web');
  const git: GitPort = options.git ?? fake;
  const reached: string[] = [];
  // Docker and the scheduler are outside this suite: any call is recorded and answered as "nothing there".
  const outside = new Proxy({}, {
    get: (_t, name) => (...args: unknown[]) => {
      reached.push(`${String(name)}(${args.map((a) => (typeof a === 'string' ? a : typeof a)).join(', ')})`);
      if (name === 'serviceLogs') return (async function* () { /* no lines */ })();
      return Promise.resolve(String(name).startsWith('list') ? [] : null);
    },
  });
  const queue = { kick: () => undefined, capacity: 1000 };
  const apps = new Apps({
    store, bus, engine: outside as never, repos: git, queue, routes: { sync: async () => undefined, stackServiceOf: async () => null, leave: async () => undefined } as never,
    instance: 'abuse', httpsPort: 443, publicUrl: 'https://deploy.example.com', reservedDomain: 'deploy.example.com',
  });
  const sealer = { seal: (v: string) => `v1:${v}` };
  const triggers = wireTriggers({
    store, bus, wake: () => undefined, repos: git, sources: new RunSources(git, join(dir, 'uploads'), TEST_UPLOAD_LIMITS),
    reveal: (s) => s.replace(/^v1:/, ''),
  });
  const runs = new RunOps({ store, bus, apps, queue, cancellations: outside as never, sealer });
  const schedules = new ScheduleOps({ store, apps, scheduler: outside as never });
  const forges = new ForgeHooks({ store, apps, repos: git, sealer, publicUrl: 'https://deploy.example.com' });
  const stacks = new StackOps({ store, apps, engine: outside as never, enqueue: triggers.enqueue, deploys: new DeployLock(), instance: 'abuse' });
  const access = createAccess({ store, sealer: { seal: sealer.seal, open: (v: string) => ({ reveal: () => v.replace(/^v1:/, '') }) as never }, warn: () => undefined, kdf: { N: 1024, r: 8, p: 1 } });
  const http = httpApp({
    apps, triggers, runs, schedules, forges, store, bus, engine: outside as never, repos: git, instance: 'abuse', version: 'test',
    hookUrl: 'http://127.0.0.1/internal/git/received', hookToken: HOOK_TOKEN, stacks, access,
    config: new AppConfigOps({ store, apps, sealer: { seal: sealer.seal, open: (v: string) => ({ reveal: () => v.replace(/^v1:/, '') }) as never }, triggers }),
  });
  await apps.create({ name: 'web', domain: 'web.example.com', branch: 'main' });
  await forges.connect('web', { repo: options.repoUrl ?? REPO_URL, token: null, webhookSecret: WEBHOOK_SECRET });
  const send: TestApp['send'] = async (method, path, body, headers = {}) => {
    const init: RequestInit = { method, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...headers } };
    if (body !== undefined) init.body = typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body);
    const res = await http.request(path, init);
    // A stream that does not end within 5 s (a followed log) is reported, not waited for.
    const read = res.body === null ? { text: '', ended: true } : await readAll(res.body, 5_000);
    const text = read.ended ? read.text : `${read.text}\n(still streaming after 5 s)`;
    if (!read.ended) return { status: res.status, text, json: null, hung: true };
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      // Logs and the dashboard answer text.
    }
    return { status: res.status, text, json, hung: false };
  };
  return { http, store, git, forge, reached, send, close: () => rm(dir, { recursive: true, force: true }) };
}

/** An answer is a crash when the server failed (5xx) or an error body is not Slipway's shape. */
export function crashOf(res: { status: number; json: unknown; text: string; hung?: boolean }): string | null {
  if (res.hung === true) return `HTTP ${res.status}, and the answer never ended: ${res.text.slice(0, 200)}`;
  if (res.status >= 500) return `HTTP ${res.status}: ${res.text.slice(0, 300)}`;
  if (res.status >= 400) {
    const e = (res.json as { error?: { kind?: unknown; message?: unknown } } | null)?.error;
    if (typeof e?.kind !== 'string' || typeof e.message !== 'string' || e.message === '') return `HTTP ${res.status} without a clear error: ${res.text.slice(0, 300)}`;
  }
  return null;
}

/** A thrown value that is not a SlipwayError is a crash of a reader. */
export function isCrash(err: unknown): boolean {
  return !(err instanceof SlipwayError);
}
