// Abuse (issue 12): the peers' CVE inputs in every name, branch, repository URL, schedule, secret name, domain and
// pipeline path that reaches Slipway, through the real HTTP app and the real git adapter. Every one is refused
// with a 4xx and a clear error (never a 5xx), nothing behind the refusal is reached, and the canary each input
// would create if a shell ever ran it never appears.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { GitRepos } from '../../src/adapters/git/repos.js';
import { SlipwayError } from '../../src/core/errors.js';
import { refNameProblem } from '../../src/core/names.js';
import { compilePlan, discoverPipelines, lintFile } from '../../src/pipeline/index.js';
import { runMeta } from '../../src/pipeline/testing.js';
import { readCompose } from '../../src/stack/compose.js';
import { crashOf, testApp, type TestApp } from '../support/fuzz-app.js';
import { show, Tally } from '../support/fuzz.js';
import { canaryPath, hostileInputs } from '../support/fuzz-hostile.js';

const canary = canaryPath();
const inputs = hostileInputs(canary);

/** Where each hostile value goes: a request whose only bad part is the value. */
const requests: Array<[string, (h: string) => [string, string, unknown]]> = [
  ['app name', (h) => ['POST', '/api/apps', { name: h, domain: 'ok.example.com' }]],
  ['app domain', (h) => ['POST', '/api/apps', { name: 'ok', domain: h }]],
  ['app branch', (h) => ['POST', '/api/apps', { name: 'ok', domain: 'ok.example.com', branch: h }]],
  ['domain update', (h) => ['PATCH', '/api/apps/web', { domain: h }]],
  ['branch update', (h) => ['PATCH', '/api/apps/web', { branch: h }]],
  ['app in the path', (h) => ['POST', `/api/apps/${encodeURIComponent(h)}/runs`, {}]],
  ['app to remove', (h) => ['DELETE', `/api/apps/${encodeURIComponent(h)}`, undefined]],
  ['run branch', (h) => ['POST', '/api/apps/web/runs', { branch: h }]],
  ['run parameter name', (h) => ['POST', '/api/apps/web/runs', { params: { [h]: 'x' } }]],
  ['schedule name', (h) => ['PUT', '/api/apps/web/schedules', { name: h, expr: '@daily' }]],
  ['schedule expression', (h) => ['PUT', '/api/apps/web/schedules', { name: 'nightly', expr: h }]],
  ['schedule branch', (h) => ['PUT', '/api/apps/web/schedules', { name: 'nightly', expr: '@daily', branch: h }]],
  ['secret name', (h) => ['PUT', '/api/apps/web/secrets', { name: h, value: 'x' }]],
  ['secret to remove', (h) => ['DELETE', `/api/apps/web/secrets/${encodeURIComponent(h)}`, undefined]],
  ['repo URL', (h) => ['PUT', '/api/apps/web/repo', { repo: h }]],
  ['repo token', (h) => ['PUT', '/api/apps/web/repo', { repo: 'https://forge.test/acme/web.git', token: `${h}\n` }]],
  ['upload label', (h) => ['POST', `/api/apps/web/deploy?label=${encodeURIComponent(h)}&${encodeURIComponent(h)}=1`, undefined]],
  ['promote environment', (h) => ['POST', '/api/runs/1/promote', { environment: h }]],
  ['run id', (h) => ['POST', `/api/runs/${encodeURIComponent(h)}/restart`, undefined]],
  ['pushed ref', (h) => ['POST', '/internal/git/received', { app: 'web', updates: [{ ref: h, newSha: 'a'.repeat(40) }] }]],
];

/**
 * A hostile-looking value a place legitimately takes as plain data, by that place's documented grammar: a branch
 * git's check-ref-format allows (`x>y`, `{a,b}`, `wéb`: never given to a shell, and the real git adapter below takes
 * it as one literal name), an ASCII host name, or a plain ASCII schedule or secret name. Counted as "inert", not
 * "accepted"; everything else that gets a 2xx is a defect.
 */
function inert(where: string, h: string): boolean {
  if (/branch/.test(where)) return refNameProblem(h) === null;
  if (/domain/.test(where)) return /^[a-z0-9.-]+$/.test(h);
  if (/^(schedule|secret) name|secret to remove/.test(where)) return /^[A-Za-z0-9_.-]+$/.test(h);
  return false;
}

describe('abuse: hostile values through the HTTP API (issue 12)', () => {
  let t: TestApp;
  const tally = new Tally('abuse (HTTP)');
  before(async () => {
    t = await testApp();
  });
  after(async () => {
    await (t as typeof t | undefined)?.close();
  });

  it(`refuses ${inputs.length} hostile values in each of ${requests.length} places with a 4xx and a clear error`, async (ctx) => {
    const accepted: string[] = [];
    for (const [where, build] of requests) {
      for (const h of inputs) {
        const [method, path, body] = build(h);
        await tally.measure(`${where} ${show(h)}`, async () => {
          const runsBefore = (await t.store.listRuns('web', 1000)).length;
          let res;
          try {
            res = await t.send(method, path, body, where === 'pushed ref' ? { authorization: 'Bearer abuse-hook-token' } : {});
          } catch (err) {
            // A path Request itself refuses (e.g. a NUL) never reached Slipway.
            if (err instanceof TypeError) {
              tally.count('refused before Slipway');
              return null;
            }
            throw err;
          }
          // A well-formed URL nobody serves: the connect-time read (the git port's probe) fails, as for any unreachable
          // forge; the value reached git only as one argv element (proven on real git below).
          const e = (res.json as { error?: { kind?: string; field?: string } } | null)?.error;
          if (where === 'repo URL' && res.status === 502 && e?.kind === 'dependency' && e.field === 'repo') {
            tally.count('refused by the read probe');
            return null;
          }
          const crash = crashOf(res);
          if (crash !== null) return crash;
          const started = (await t.store.listRuns('web', 1000)).length !== runsBefore;
          if (res.status >= 400) {
            tally.count('refused');
            return started ? 'a refused request started a run' : null;
          }
          // The git hook reports refs git itself checked (and needs this process's hook token): no run for a non-branch.
          if (inert(where, h) || (where === 'pushed ref' && !started)) tally.count('inert');
          else accepted.push(`${where} ${show(h)} → ${res.status} ${res.text.slice(0, 120)}`);
          return null;
        });
      }
    }
    const executed = existsSync(canary) ? 1 : 0;
    tally.count('executed', executed);
    tally.count('accepted', accepted.length);
    ctx.diagnostic(tally.summary());
    assert.deepEqual(accepted, []);
    assert.deepEqual(tally.crashes, []);
    assert.equal(executed, 0, `${canary} was created`);
    assert.deepEqual(t.reached.filter((r) => !r.startsWith('listTasks') && !r.startsWith('inspectService')), []);
  });
});

/** A URL input aimed at a port nobody listens on, so no test traffic leaves 127.0.0.1 (unparseable ones as given). */
function localUrl(h: string): string {
  let url: URL;
  try {
    url = new URL(h);
  } catch {
    return h;
  }
  if (url.hostname === '' || url.hostname.startsWith('-') || !['http:', 'https:', 'ssh:', 'git:'].includes(url.protocol)) return h;
  url.hostname = '127.0.0.1';
  url.port = '9';
  return url.toString();
}

describe('abuse: hostile names and URLs on the real git adapter (issue 12)', () => {
  let root: string;
  let repos: GitRepos;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'slipway-abuse-git-'));
    repos = new GitRepos(join(root, 'repos'));
    await repos.ensure('web');
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('takes every value as one literal argument or refuses it with a SlipwayError; nothing runs', async (ctx) => {
    const tally = new Tally('abuse (real git)');
    const commit = 'a'.repeat(40);
    const remote = 'http://127.0.0.1:9/acme/web.git';
    const refused = (err: unknown) => {
      if (!(err instanceof SlipwayError)) throw err;
      tally.count('refused');
      return null;
    };
    for (const h of inputs) {
      const calls: Array<[string, () => Promise<unknown>]> = [
        ['branchHead', () => repos.branchHead('web', h)],
        ['resolveCommit', () => repos.resolveCommit('web', h)],
        ['fetch remote ref', () => repos.fetch('web', { url: remote, token: null, remoteRef: h, localRef: 'refs/heads/x', commit })],
        ['fetch local ref', () => repos.fetch('web', { url: remote, token: null, remoteRef: 'refs/heads/main', localRef: h, commit })],
        ['fetch commit', () => repos.fetch('web', { url: remote, token: null, remoteRef: 'refs/heads/main', localRef: 'refs/heads/x', commit: h })],
        ['probe URL', () => repos.probe(localUrl(h), null)],
      ];
      for (const [what, call] of calls) {
        await tally.measure(`${what} ${show(h)}`, async () => {
          const answer = await call().catch(refused);
          // Only branchHead may answer: null, for a branch that was never pushed (a literal, well-formed name).
          if (answer !== null) return `answered ${show(answer)}`;
          if (what === 'branchHead' && refNameProblem(h) === null) tally.count('inert');
          return null;
        });
      }
    }
    const executed = existsSync(canary) ? 1 : 0;
    tally.count('executed', executed);
    ctx.diagnostic(tally.summary());
    assert.deepEqual(tally.crashes, []);
    assert.equal(executed, 0, `${canary} was created`);
  });
});

describe('abuse: hostile paths and names in pipeline files (issue 12)', () => {
  const places: Array<[string, (h: string) => string]> = [
    ['build dockerfile', (h) => `steps:\n  - name: b\n    build:\n      dockerfile: ${JSON.stringify(h)}\n`],
    ['build context', (h) => `steps:\n  - name: b\n    build:\n      context: ${JSON.stringify(h)}\n`],
    ['deploy stack', (h) => `steps:\n  - name: d\n    deploy:\n      stack: ${JSON.stringify(h)}\n`],
    ['deploy compose file', (h) => `steps:\n  - name: d\n    deploy:\n      stack: web\n      file: ${JSON.stringify(h)}\n`],
    ['deploy stack', () => 'steps:\n  - name: d\n    deploy:\n      stack: ${CI_COMMIT_MESSAGE}\n'],
    ['deploy compose file', () => 'steps:\n  - name: d\n    deploy:\n      stack: web\n      file: ${CI_COMMIT_MESSAGE}\n'],
    ['build context', () => 'steps:\n  - name: b\n    build:\n      context: ${CI_COMMIT_MESSAGE}\n'],
  ];
  /** A path the plan may hold: relative, inside the repository, printable. */
  const insideRepo = (p: string) => !p.startsWith('/') && !p.split('/').includes('..') && !/[\u0000-\u001f\u007f]/.test(p) && p !== '';
  const STACK = /^[a-z][a-z0-9-]{0,30}[a-z0-9]$/;

  it('the linter refuses traversal, absolute paths, control characters and bad stack names; what passes is inert', async (ctx) => {
    const tally = new Tally('abuse (pipeline files)');
    const accepted: string[] = [];
    for (const [where, text] of places) {
      for (const h of inputs) {
        await tally.measure(`${where} ${show(h)}`, () => {
          const errors = lintFile({ path: '.slipway.yml', text: text(h) }, { knownSecrets: null }).filter((f) => f.severity === 'error');
          if (errors.length > 0) {
            tally.count('refused');
            return null;
          }
          // What the linter passes is compiled, with the value also arriving through the commit message (`${…}`).
          let plan;
          try {
            plan = compilePlan(discoverPipelines([{ path: '.slipway.yml', text: text(h) }])!, runMeta({ commitMessage: h }), { knownSecrets: null });
          } catch (err) {
            if (!(err instanceof SlipwayError)) throw err;
            tally.count('refused');
            return null;
          }
          const step = plan.pipelines[0]?.steps[0];
          const value = where === 'build dockerfile' ? step?.build?.dockerfile : where === 'build context' ? step?.build?.context : where === 'deploy stack' ? step?.deploy?.stack : step?.deploy?.file;
          const ok = typeof value === 'string' && (where === 'deploy stack' ? STACK.test(value) : insideRepo(value));
          if (ok) tally.count('inert');
          else accepted.push(`${where} ${show(h)}`);
          return null;
        });
      }
    }
    tally.count('accepted', accepted.length);
    ctx.diagnostic(tally.summary());
    assert.deepEqual(accepted, []);
    assert.deepEqual(tally.crashes, []);
  });
});

describe('abuse: hostile names in compose files (issue 12)', () => {
  /** Swarm service names: what the reader must hold every compose service name to. */
  const SERVICE = /^[a-z0-9](?:[a-z0-9_-]{0,61}[a-z0-9])?$/;

  it('a service name that cannot be a Swarm service name is an error; what passes is a plain name', async (ctx) => {
    const tally = new Tally('abuse (compose files)');
    const accepted: string[] = [];
    for (const h of inputs) {
      await tally.measure(`service ${show(h)}`, () => {
        const { stack } = readCompose({ path: 'compose.yaml', text: `services:\n  ${JSON.stringify(h)}:\n    image: alpine\n` }, {});
        if (stack === null) tally.count('refused');
        else if (stack.services.every((s) => SERVICE.test(s.name))) tally.count('inert');
        else accepted.push(show(h));
        return null;
      });
    }
    tally.count('accepted', accepted.length);
    ctx.diagnostic(tally.summary());
    assert.deepEqual(accepted, []);
    assert.deepEqual(tally.crashes, []);
    // The same file with a plain name is read, so the refusals above are the names'.
    assert.notEqual(readCompose({ path: 'compose.yaml', text: 'services:\n  "web":\n    image: alpine\n' }, {}).stack, null);
  });
});
