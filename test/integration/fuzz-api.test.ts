// Fuzz (issue 12): random JSON, malformed bodies and random queries to every route of the real HTTP app. Every answer
// is a success or a 4xx with Slipway's error body, never a 5xx. SLIPWAY_FUZZ_SEED=<seed> replays a run.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { crashOf, HOOK_TOKEN, testApp, WEBHOOK_SECRET, type TestApp } from '../support/fuzz-app.js';
import { fuzzSeed, Rng, Tally } from '../support/fuzz.js';

const seed = fuzzSeed();
const INPUTS = 3000;

/** Every route, with `:app`, `:id`, `:name` … filled in per input (mostly real ones, sometimes hostile). */
const ROUTES: Array<[string, string]> = [
  ['GET', '/api/health'], ['GET', '/api/apps'], ['POST', '/api/apps'], ['GET', '/api/apps/:app'], ['PATCH', '/api/apps/:app'],
  ['DELETE', '/api/apps/:app'], ['POST', '/api/apps/:app/deploy'], ['POST', '/api/apps/:app/rollback'], ['GET', '/api/apps/:app/runs'],
  ['GET', '/api/apps/:app/releases'], ['GET', '/api/apps/:app/logs'], ['GET', '/api/runs/:id'], ['GET', '/api/runs/:id/logs'], ['GET', '/api/events'],
  ['POST', '/api/runs/:id/cancel'], ['POST', '/api/runs/:id/promote'], ['POST', '/api/runs/:id/restart'], ['GET', '/api/runs/:id/steps'],
  // Not /api/runs/:id/events: it follows a live run until the run ends, by design (log-follow tests cover it).
  ['GET', '/api/runs/:id/steps/:pipeline/:step/logs'], ['POST', '/api/apps/:app/runs'],
  ['GET', '/api/apps/:app/secrets'], ['PUT', '/api/apps/:app/secrets'], ['DELETE', '/api/apps/:app/secrets/:name'],
  ['GET', '/api/apps/:app/schedules'], ['PUT', '/api/apps/:app/schedules'], ['DELETE', '/api/apps/:app/schedules/:name'],
  ['POST', '/api/apps/:app/schedules/:name/run'], ['GET', '/api/apps/:app/repo'], ['PUT', '/api/apps/:app/repo'], ['DELETE', '/api/apps/:app/repo'],
  ['POST', '/hooks/:app'], ['POST', '/internal/git/received'], ['GET', '/git/:app.git/info/refs'], ['POST', '/git/:app.git/git-upload-pack'],
  ['GET', '/'], ['GET', '/apps/:app'], ['PUT', '/api/nothing'],
];

const QUERY_KEYS = ['label', 'follow', 'tail', 'replay', 'limit', 'since', 'branch', 'service', '__proto__'];

describe(`fuzz: API bodies (seed ${seed})`, () => {
  let t: TestApp;
  before(async () => {
    t = await testApp();
    await t.store.createRun({ app: 'web', source: 'git', ref: 'refs/heads/main', commit: 'a'.repeat(40) });
  });
  after(async () => {
    await (t as typeof t | undefined)?.close();
  });

  it(`${INPUTS} random requests to ${ROUTES.length} routes: no 5xx, every refusal a clear error`, async (ctx) => {
    const rng = new Rng(seed + 5);
    const tally = new Tally('fuzz API');
    const param = (name: string): string => {
      if (rng.chance(0.8)) return { app: 'web', id: '1', name: 'nightly', pipeline: 'default', step: 'build' }[name] ?? 'x';
      return encodeURIComponent(rng.chance(0.5) ? rng.text(12).replace(/[\ud800-\udfff]/g, '\ufffd') : rng.pick(['..', '%2e%2e', '0', '-1', '99999999999999999999', '1e3', 'web.git', '__proto__']));
    };
    for (let i = 0; i < INPUTS; i++) {
      const [method, pattern] = rng.pick(ROUTES);
      let path = pattern.replace(/:([a-z]+)/g, (_m, name: string) => param(name));
      if (rng.chance(0.3)) {
        // Never follow=1 or replay=1: those streams stay open by design until the run ends.
        const q = new URLSearchParams();
        for (let k = rng.int(3); k >= 0; k--) q.append(rng.pick(QUERY_KEYS), rng.chance(0.5) ? rng.text(8).replace(/^1$/, '2') : rng.pick(['0', '5', '-3', 'x', '']));
        path += `?${q.toString()}`;
      }
      const r = rng.int(10);
      const body = method === 'GET' ? undefined : r < 6 ? JSON.stringify(rng.json(4)) : r < 8 ? rng.text(60) : r < 9 ? '' : JSON.stringify({ [rng.pick(['name', 'domain', 'branch', 'repo', 'expr', 'value'])]: rng.json(1) });
      const headers: Record<string, string> = {};
      if (path.startsWith('/internal/')) headers.authorization = `Bearer ${rng.chance(0.7) ? HOOK_TOKEN : rng.text(10)}`;
      if (path.startsWith('/hooks/')) Object.assign(headers, { authorization: '', 'x-github-event': rng.pick(['push', 'ping', 'pull_request']), 'x-github-delivery': rng.text(10), 'x-hub-signature-256': `sha256=${rng.chance(0.5) ? WEBHOOK_SECRET : rng.text(64)}` });
      if (rng.chance(0.05)) headers.authorization = rng.pick(['', 'Bearer', 'Bearer x', 'Basic Og==', rng.text(30)]);
      if (rng.chance(0.05)) headers['content-type'] = rng.pick(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', rng.text(20)]);
      await tally.measure(`${method} ${path} ${body?.slice(0, 80) ?? ''}`, async () => {
        let res;
        try {
          res = await t.send(method, path, body, headers);
        } catch (err) {
          // Header values Request itself refuses (control characters) never reach Slipway.
          if (err instanceof TypeError) {
            tally.count('refused before Slipway');
            return null;
          }
          throw err;
        }
        tally.count(res.status < 400 ? 'answered' : 'refused');
        // The app comes back when a request removed it, so the other routes keep reaching deep code.
        if (method === 'DELETE' && pattern === '/api/apps/:app' && res.status === 204) await t.send('POST', '/api/apps', { name: 'web', domain: 'web.example.com' });
        // The in-memory git serves no HTTP (real git does, in test/integration/abuse-webhooks.test.ts).
        if (res.status === 501 && res.text === 'the fake git does not serve HTTP') return null;
        return crashOf(res);
      });
    }
    ctx.diagnostic(`${tally.summary()} (seed ${seed})`);
    assert.deepEqual(tally.crashes.slice(0, 5), [], `replay with SLIPWAY_FUZZ_SEED=${seed}`);
  });
});
