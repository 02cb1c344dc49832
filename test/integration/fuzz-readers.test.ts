// Fuzz (issue 12): pipeline files (lint, then compile), compose files (readCompose, parseCompose) and forge webhook
// payloads (the forge parsers), from mutated real fixtures and pure random data. Every input gives an answer or a
// SlipwayError, never another exception; the slowest input is reported and inputs over 1 s are counted as stalls.
// SLIPWAY_FUZZ_SEED=<seed> replays a run.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { SlipwayError } from '../../src/core/errors.js';
import type { RunEvent } from '../../src/core/plan.js';
import { compilePlan, discoverPipelines, lintSource } from '../../src/pipeline/index.js';
import { fixtureRepo, runMeta } from '../../src/pipeline/testing.js';
import { parseCompose, readCompose } from '../../src/stack/compose.js';
import { payloadOf, readForgeEvent, recogniseDelivery } from '../../src/trigger/forge/deliveries.js';
import { isCrash } from '../support/fuzz-app.js';
import { fuzzSeed, mutate, Rng, Tally } from '../support/fuzz.js';

const seed = fuzzSeed();
const PIPELINES = 2000;
const COMPOSE = 3000;
const PAYLOADS = 3000;

/** Runs a reader; a SlipwayError is an answer, any other exception a crash. */
function guarded(run: () => unknown): string | null {
  try {
    run();
    return null;
  } catch (err) {
    if (!isCrash(err)) return null;
    return `threw ${err instanceof Error ? `${err.constructor.name}: ${err.message}\n${err.stack?.split('\n').slice(1, 4).join('\n')}` : String(err)}`;
  }
}

function report(ctx: { diagnostic(message: string): void }, tally: Tally): void {
  ctx.diagnostic(`${tally.summary()} (seed ${seed})`);
  assert.deepEqual(tally.crashes.slice(0, 5), [], `replay with SLIPWAY_FUZZ_SEED=${seed}`);
}

describe(`fuzz: readers (seed ${seed})`, () => {
  it(`pipeline files: ${PIPELINES} mutated fixtures and random texts through lint and compile`, async (ctx) => {
    const rng = new Rng(seed);
    const tally = new Tally('fuzz pipelines');
    const repos = ['drone-multi', 'drone-node', 'slipway-builtins', 'woodpecker-folder', 'woodpecker-go'].map((d) => fixtureRepo(d));
    const bad = fixtureRepo('bad');
    const events: RunEvent[] = ['push', 'tag', 'pull_request', 'cron', 'manual', 'deploy', 'rollback'];
    for (let i = 0; i < PIPELINES; i++) {
      const base = rng.chance(0.85) ? rng.pick(repos) : [rng.pick(bad)];
      const files = base.map((f) => ({ path: f.path, text: rng.chance(0.1) ? rng.text(400) : rng.chance(0.7) ? mutate(rng, f.text) : f.text }));
      const meta = runMeta({ event: rng.pick(events), branch: rng.pick(['main', 'feature/x', 'release-1']), commitMessage: rng.chance(0.3) ? rng.text(40) : 'fix' });
      await tally.measure(`pipeline #${i}`, () => guarded(() => {
        const source = discoverPipelines(files);
        if (source === null) return;
        const findings = lintSource(source, { knownSecrets: rng.chance(0.5) ? null : ['slack_webhook', 'npm_token'] });
        tally.count(findings.some((f) => f.severity === 'error') ? 'refused' : 'read');
        if (!findings.some((f) => f.severity === 'error')) compilePlan(source, meta, { knownSecrets: null });
      }));
    }
    report(ctx, tally);
  });

  it(`compose files: ${COMPOSE} mutated fixtures and random texts through readCompose and parseCompose`, async (ctx) => {
    const rng = new Rng(seed + 1);
    const tally = new Tally('fuzz compose');
    const fixtures = ['good.yaml', 'unsupported.yaml'].map((n) => readFileSync(new URL(`../../src/stack/fixtures/${n}`, import.meta.url), 'utf8'));
    const vars = { SLIPWAY_IMAGE: `127.0.0.1:5000/apps/web@sha256:${'a'.repeat(64)}`, SLIPWAY_APP: 'web', SLIPWAY_STACK: 'backend', SLIPWAY_COMMIT: 'c0ffee', UNSET: { missing: 'not set' } };
    for (let i = 0; i < COMPOSE; i++) {
      const text = rng.chance(0.1) ? rng.text(400) : mutate(rng, rng.pick(fixtures));
      const file = { path: rng.pick(['compose.yaml', 'deploy/docker-compose.yml']), text };
      await tally.measure(`compose #${i}`, () => guarded(() => {
        const { stack, findings } = readCompose(file, vars);
        tally.count(stack === null ? 'refused' : 'read');
        if (stack === null && !findings.some((f) => f.severity === 'error')) throw new Error('no stack and no error finding');
        if (rng.chance(0.2)) parseCompose(file, vars);
      }));
    }
    report(ctx, tally);
  });

  it(`webhook payloads: ${PAYLOADS} mutated and random deliveries through the forge parsers`, async (ctx) => {
    const rng = new Rng(seed + 2);
    const tally = new Tally('fuzz webhook payloads');
    const sha = () => Array.from({ length: 40 }, () => '0123456789abcdef'[rng.int(16)]).join('');
    const samples: Array<[Record<string, string>, () => unknown]> = [
      [{ 'x-github-event': 'push' }, () => ({ ref: 'refs/heads/main', before: sha(), after: sha(), repository: { full_name: 'acme/web' } })],
      [{ 'x-github-event': 'pull_request' }, () => ({ action: 'opened', number: 3, pull_request: { head: { ref: 'feature', sha: sha(), repo: { full_name: 'fork/web' } }, base: { ref: 'main', repo: { full_name: 'acme/web' } } } })],
      [{ 'x-gitea-event': 'pull_request' }, () => ({ action: 'synchronized', number: 4, pull_request: { head: { ref: 'f', sha: sha(), repo: null }, base: { ref: 'main', repo: { full_name: 'acme/web' } } } })],
      [{ 'x-gitlab-event': 'Push Hook' }, () => ({ ref: 'refs/tags/v1', after: sha(), checkout_sha: sha() })],
      [{ 'x-gitlab-event': 'Merge Request Hook' }, () => ({ object_attributes: { action: 'update', oldrev: sha(), iid: 7, last_commit: { id: sha() }, source_branch: 'a', target_branch: 'main', source_project_id: 1, target_project_id: 2 } })],
      [{ 'x-github-event': 'ping' }, () => ({ zen: 'hi' })],
    ];
    for (let i = 0; i < PAYLOADS; i++) {
      const [headers, make] = rng.pick(samples);
      const kind = rng.int(10);
      let body: Uint8Array;
      let contentType = 'application/json';
      if (kind < 5) body = Buffer.from(mutate(rng, JSON.stringify(make(), null, rng.chance(0.5) ? 2 : 0)));
      else if (kind < 8) {
        // Valid JSON of the wrong shape: random values grafted into a real payload.
        const payload = make() as Record<string, unknown>;
        const keys = Object.keys(payload);
        payload[rng.chance(0.7) && keys.length > 0 ? rng.pick(keys) : rng.text(6)] = rng.json(3);
        body = Buffer.from(JSON.stringify(payload));
      } else if (kind < 9) {
        body = Buffer.from(new URLSearchParams({ payload: mutate(rng, JSON.stringify(make())) }).toString());
        contentType = 'application/x-www-form-urlencoded';
      } else body = rng.bytes(300);
      const allHeaders = { ...headers, 'content-type': contentType, ...(rng.chance(0.05) ? { 'x-github-event': rng.text(10) } : {}) };
      await tally.measure(`payload #${i}`, () => guarded(() => {
        const delivery = recogniseDelivery(allHeaders);
        const event = readForgeEvent(delivery, payloadOf(body, contentType));
        tally.count(event.kind === 'ignored' ? 'ignored' : 'read');
      }));
    }
    report(ctx, tally);
  });
});
