// Every route that takes a body or a query checks it against its schema: a malformed one is a 400 naming the field
// (an unknown key by its name), and nothing behind the route is reached; a good one arrives typed.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMemoryStore } from '../../adapters/store/memory.js';
import { EventBus } from '../../core/events.js';
import type { App } from '../../core/types.js';
import { randomBytes } from 'node:crypto';
import { createSealer } from '../../adapters/secrets/sealer.js';
import { AppConfigOps } from '../app-config.js';
import { Apps } from '../apps.js';
import { createAccess } from '../access.js';
import { hashToken } from '../auth.js';
import { ForgeHooks } from '../forges.js';
import { RunOps } from '../runs.js';
import { ScheduleOps } from '../schedules.js';
import { StackOps } from '../stacks.js';
import type { Triggers } from '../triggers.js';
import { httpApp } from './server.js';

const TOKEN = 'slw_test-token';
const HOOK_TOKEN = 'hook-token';

async function setup() {
  const store = createMemoryStore();
  await store.createToken('admin', hashToken(TOKEN));
  await store.createApp({ name: 'web', domain: 'web.example.com', port: 3000, replicas: 1, branch: 'main' });
  const run = await store.createRun({ app: 'web', source: 'git', ref: 'refs/heads/main', commit: 'a'.repeat(40) });
  const bus = new EventBus();
  const reached: string[] = [];
  const calls: unknown[][] = [];
  // Every trigger records that it was reached: a refused body must never get this far.
  const triggers = new Proxy({}, {
    get: (_t, name: string) => async (...args: unknown[]) => {
      reached.push(name);
      calls.push(args);
      return name === 'push' ? { run: null, note: 'nothing' } : run;
    },
  }) as Triggers;
  const nothing = new Proxy({}, { get: (_t, name: string) => () => { reached.push(String(name)); throw new Error(`${String(name)} reached`); } });
  const apps = new Apps({ store, bus, engine: nothing as never, repos: { ensure: async () => undefined }, queue: { kick: () => undefined }, routes: { sync: async () => undefined, stackServiceOf: async () => null, leave: async () => undefined } as never, instance: 't', httpsPort: 443, publicUrl: 'http://127.0.0.1:7070' });
  const http = httpApp({
    apps, triggers, store, bus, engine: nothing as never, repos: nothing as never, instance: 't', version: 'test',
    runs: new RunOps({ store, bus, apps, queue: { capacity: 1 }, cancellations: nothing as never, sealer: { seal: (v: string) => `v1:${v}` } }),
    schedules: new ScheduleOps({ store, apps, scheduler: nothing as never }),
    stacks: new StackOps({ store, apps, engine: nothing as never, enqueue: nothing as never, deploys: nothing as never, instance: 't' }),
    forges: new ForgeHooks({ store, apps, repos: { ensure: async () => undefined, probe: async () => undefined }, sealer: { seal: (v: string) => `v1:${v}` }, publicUrl: 'http://x' }),
    config: new AppConfigOps({ store, apps, sealer: createSealer(randomBytes(32), 'test.key'), triggers }),
    hookUrl: 'http://127.0.0.1/internal/git/received', hookToken: HOOK_TOKEN,
    access: createAccess({ store, sealer: { seal: (v: string) => `v1:${v}`, open: nothing as never }, warn: () => undefined }),
  });
  const send = async (method: string, path: string, body?: unknown, token = TOKEN) => {
    const res = await http.request(path, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    return { status: res.status, json: (await res.json()) as { error?: { kind: string; field?: string; message: string } } };
  };
  return { store, http, send, reached, calls, runId: run.id };
}

describe('typed request bodies', () => {
  const cases: Array<[string, string, unknown, string, RegExp]> = [
    ['POST', '/api/apps', { name: 'ok', domain: 'ok.example.com', colour: 'red' }, 'colour', /unknown field "colour"/],
    ['POST', '/api/apps', { name: 5, domain: 'ok.example.com' }, 'name', /invalid app name 5/],
    ['POST', '/api/apps', { name: 'ok', domain: 'ok.example.com', concurrency: 99 }, 'concurrency', /invalid concurrency 99/],
    ['POST', '/api/apps', [], '', /the request body: expected a JSON object/],
    ['PATCH', '/api/apps/web', { port: 'eighty' }, 'port', /invalid port "eighty"/],
    ['PATCH', '/api/apps/web', { name: 'renamed' }, 'name', /unknown field "name"/],
    ['POST', '/api/apps/web/rollback', { release: 0 }, 'release', /invalid release 0/],
    ['POST', '/api/apps/web/rollback', { release: 2, force: true }, 'force', /unknown field "force"/],
    ['POST', '/api/apps/web/deploy?label=x&branch=main', undefined, 'branch', /unknown field "branch" in the query/],
    ['POST', '/api/runs/RUN/promote', {}, 'environment', /invalid environment undefined/],
    ['POST', '/api/runs/RUN/promote', { environment: 'production', fromFork: false }, 'fromFork', /unknown field "fromFork"/],
    ['POST', '/api/apps/web/runs', { params: { 'bad key': 'x' } }, 'params.bad key', /invalid parameter "bad key"/],
    ['POST', '/api/apps/web/runs', { params: { COUNT: 3 } }, 'params.COUNT', /invalid "params.COUNT" in the request body: expected a string/],
    ['POST', '/api/apps/web/runs', { branch: '-x' }, 'branch', /invalid branch "-x"/],
    ['POST', '/api/apps/web/runs', { event: 'deploy' }, 'event', /unknown field "event"/],
    ['PUT', '/api/apps/web/secrets', { name: 'API_KEY' }, 'value', /invalid "value" in the request body: expected a string/],
    ['PUT', '/api/apps/web/secrets', { name: 'API_KEY', value: '' }, 'value', /non-empty value/],
    ['PUT', '/api/apps/web/schedules', { name: 'nightly', expr: 5 }, 'expr', /invalid "expr" in the request body: expected a string/],
    ['PUT', '/api/apps/web/schedules', { name: 'nightly', expr: '@daily', branch: 'a..b' }, 'branch', /invalid branch "a..b"/],
    ['PUT', '/api/apps/web/repo', { repo: 'file:///etc' }, 'repo', /invalid repository URL/],
    ['PUT', '/api/apps/web/repo', { repo: 'https://example.com/a/b.git', token: 7 }, 'token', /invalid token: expected an access token/],
    ['PUT', '/api/apps/web/repo', { repo: 'https://example.com/a/b.git', secret: 'x' }, 'secret', /unknown field "secret"/],
    ['PATCH', '/api/apps/web/config', { set: { A: 'x' } }, 'set.A', /expected a JSON object/],
    ['PATCH', '/api/apps/web/config', { set: { A: { value: 'x', hidden: true } } }, 'set.A.hidden', /unknown field "set.A.hidden"/],
    ['PATCH', '/api/apps/web/config', { set: { PORT: { value: '1' } } }, 'PORT', /config key PORT is reserved/],
    ['PATCH', '/api/apps/web/config', { set: { '1X': { value: '1' } } }, '1X', /invalid config key "1X"/],
    ['PUT', '/api/apps/web/config', { config: { A: { value: 5 } } }, 'config.A.value', /expected a string/],
    ['DELETE', '/api/apps/web/config/A?deploy=no', undefined, 'deploy', /invalid "deploy" in the query/],
    ['GET', '/api/apps/web/logs?follow=1&since=5m', undefined, 'since', /unknown field "since" in the query/],
    ['GET', '/api/runs/RUN/logs?follow=1&tail=5', undefined, 'tail', /unknown field "tail" in the query/],
    ['GET', '/api/runs/RUN/events?replay=1&from=3', undefined, 'from', /unknown field "from" in the query/],
    ['GET', '/api/events?limit=5&app=web', undefined, 'app', /unknown field "app" in the query/],
    ['POST', '/api/apps/web/stacks/back/deploy', { files: [] }, 'files', /invalid "files" in the request body/],
    ['POST', '/api/apps/web/stacks/back/deploy', { files: [{ path: 'c.yml', text: 'x', mode: 1 }] }, 'files.0.mode', /unknown field "files.0.mode"/],
    ['POST', '/api/apps/web/stacks/back/rollback', { release: 0 }, 'release', /invalid release 0/],
    ['GET', '/api/apps/web/stacks/back/diff?from=1', undefined, 'to', /invalid release undefined/],
    ['GET', '/api/apps/web/stacks/back/diff?from=1&to=x', undefined, 'to', /invalid release "x"/],
  ];
  for (const [method, path, body, field, message] of cases) {
    it(`${method} ${path} ${JSON.stringify(body) ?? ''} → 400 naming ${field || 'the body'}`, async () => {
      const { send, reached, runId } = await setup();
      const res = await send(method, path.replace('RUN', String(runId)), body);
      assert.equal(res.status, 400, JSON.stringify(res.json));
      assert.equal(res.json.error?.kind, 'invalid_input');
      assert.equal(res.json.error?.field, field || undefined);
      assert.match(res.json.error?.message ?? '', message);
      assert.deepEqual(reached, [], 'nothing behind the route was reached');
    });
  }

  it('the git hook report is checked too (with the hook token)', async () => {
    const { send, reached } = await setup();
    const res = await send('POST', '/internal/git/received', { app: 'web', updates: [{ ref: 'refs/heads/main' }] }, HOOK_TOKEN);
    assert.equal(res.status, 400);
    assert.equal(res.json.error?.field, 'updates.0.newSha');
    assert.deepEqual(reached, []);
  });

  it('a good body arrives typed at the trigger, with the app it names', async () => {
    const { send, calls, reached } = await setup();
    assert.equal((await send('POST', '/api/apps/web/runs', { branch: 'release/1.x', params: { COUNT: '3' } })).status, 202);
    assert.equal((await send('POST', '/api/apps/web/rollback', {})).status, 202);
    assert.deepEqual(reached, ['manual', 'rollback']);
    assert.equal((calls[0]![0] as App).name, 'web');
    assert.deepEqual(calls[0]![1], { branch: 'release/1.x', params: { COUNT: '3' } });
    assert.deepEqual(calls[1]!.slice(1), [null]);
  });
});

describe('request body limits (issue 12)', () => {
  const MIB = 1024 * 1024;

  it('a JSON body over 1 MiB is refused with 413 too_large naming the limit, before any trigger', async () => {
    const { send, reached } = await setup();
    const res = await send('POST', '/api/apps/web/runs', { params: { BIG: 'x'.repeat(MIB) } });
    assert.equal(res.status, 413, JSON.stringify(res.json));
    assert.equal(res.json.error?.kind, 'too_large');
    assert.match(res.json.error?.message ?? '', /the request body is larger than 1 MiB/);
    assert.deepEqual(reached, []);
  });

  it('a streamed body without a length is read only up to the limit, then the stream is cancelled', async () => {
    const { http, reached } = await setup();
    const chunk = new TextEncoder().encode(`"${'x'.repeat(64 * 1024 - 2)}"`);
    let pulled = 0;
    let cancelled = false;
    const total = 64; // 4 MiB in all
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        if (pulled > total) controller.close();
        else controller.enqueue(chunk);
      },
      cancel() {
        cancelled = true;
      },
    });
    const res = await http.request('/api/apps/web/secrets', {
      method: 'PUT', body, duplex: 'half', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    } as RequestInit);
    assert.equal(res.status, 413);
    assert.ok(pulled <= 20, `read ${pulled} chunks of 64 KiB for a 1 MiB limit`);
    assert.ok(cancelled, 'the rest of the body is not read');
    assert.deepEqual(reached, []);
  });

  it('a declared length over the limit is refused without reading the body', async () => {
    const { http } = await setup();
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({ pull: (controller) => { pulled += 1; if (pulled > 64) controller.close(); else controller.enqueue(new Uint8Array(1024)); } });
    const res = await http.request('/api/apps', {
      method: 'POST', body, duplex: 'half', headers: { authorization: `Bearer ${TOKEN}`, 'content-length': String(2 * MIB) },
    } as RequestInit);
    assert.equal(res.status, 413);
    assert.ok(pulled <= 1, `pulled ${pulled}`);
  });

  it('a large secret value (512 KiB, e.g. a key bundle) still fits', async () => {
    const { http, store } = await setup();
    const res = await http.request('/api/apps/web/secrets', {
      method: 'PUT', body: JSON.stringify({ name: 'BUNDLE', value: 'k\n'.repeat(256 * 1024) }), headers: { authorization: `Bearer ${TOKEN}` },
    });
    assert.ok(res.status < 300, await res.text());
    assert.equal((await store.getSealedSecrets('web')).BUNDLE?.length, 'v1:'.length + 512 * 1024);
  });
});
