// The dashboard in real headless Chromium against a recording fake of the HTTP API (shapes from src/core/api.ts).

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { stream } from 'hono/streaming';
import { chromium, type Browser, type Dialog, type Page } from 'playwright-core';
import type { AppSummary, CreateAppRequest, ReleasesResponse, RunResponse, RunsResponse, StacksResponse } from '../../src/core/api.js';
import type { ConfigResponse } from '../../src/core/api-config.js';
import type { ErrorBody } from '../../src/core/errors.js';
import type { RunStep } from '../../src/core/ports/store.js';
import type { AppStatus, Release, Run } from '../../src/core/types.js';
import { dashboardRoutes } from '../../src/api/http/dashboard-routes.js';

const CHROMIUM = '/usr/bin/chromium';
const TOKEN = 'sw_test_4f9c2a';
const HOSTILE = '<img src=x onerror=alert(1)>';
const DIGEST = 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';

// ------------------------------------------------------------------------------------------ fake API

interface Call {
  method: string;
  path: string;
  authorization: string | undefined;
  contentType: string | undefined;
  body: unknown;
}

const at = (minutesAgo: number): string => new Date(Date.now() - minutesAgo * 60_000).toISOString();

function run(id: number, app: string, over: Partial<Run> = {}): Run {
  return {
    id, app, source: 'git', ref: 'refs/heads/main', commit: `${id}c0ffee5e1f2a3b4c5d6e7f8091a2b3c4d5e6f70`,
    status: 'succeeded', phase: 'done', targetRelease: null, releaseId: null, error: null,
    createdAt: at(100 - id), startedAt: at(100 - id), finishedAt: at(99 - id), ...over,
  };
}

function release(app: string, number: number, status: Release['status']): Release {
  const image = `127.0.0.1:5000/slipway/${app}@sha256:${String(number).repeat(64).slice(0, 64)}`;
  return {
    id: number, app, number, image, commit: `${number}abc1234def5678`, runId: 38 + number,
    spec: { app, image, port: 3000, replicas: 2, env: {}, releaseNumber: number },
    status, rollbackOf: null, createdAt: at(60 * (4 - number)), deployedAt: at(60 * (4 - number)),
  };
}

function summary(name: string, domain: string, liveRelease: number | null, replicas: number, base: string): AppSummary {
  return {
    name, domain, port: 3000, replicas, branch: 'main', concurrency: 1, url: `https://${domain}`, gitUrl: `${base}/git/${name}.git`,
    liveRelease, createdAt: at(600),
  };
}

function unauthorized(): ErrorBody {
  return { error: { kind: 'unauthorized', message: 'missing or invalid API token', hint: 'send the token from `slipway up` as a Bearer token' } };
}

/** A Hono app playing the Slipway API: records every /api call, and streams run 43's log with a pause in the middle. */
function fakeApi(base: () => string) {
  const calls: Call[] = [];
  const control = { revoked: false, releaseLog: () => {} };
  const logGate = new Promise<void>((resolve) => { control.releaseLog = resolve; });

  const created: AppSummary[] = [];
  const apps = (): AppSummary[] => [
    summary('hello', 'hello.example.com', 3, 2, base()),
    summary(HOSTILE, 'evil.example.com', null, 1, base()),
    ...created,
  ];
  const releases: Release[] = [release('hello', 3, 'live'), release('hello', 2, 'superseded'), release('hello', 1, 'superseded')];
  const runs: Run[] = [
    run(42, 'hello', { releaseId: 3 }),
    run(41, 'hello', { status: 'failed', phase: 'build', error: { kind: 'build_failed', message: 'step 4/6 RUN npm ci exited with 1', hint: 'run `docker build .` locally to see the full error' } }),
    run(40, 'hello', { releaseId: 2 }),
  ];
  const rollbackRun = run(43, 'hello', { source: 'rollback', ref: null, status: 'running', phase: 'deploy', targetRelease: 2, createdAt: at(0), startedAt: at(0), finishedAt: null });
  const restartedRun = run(44, 'hello', { status: 'queued', phase: 'queued', createdAt: at(0), startedAt: null, finishedAt: null });
  const step = (runId: number, position: number, name: string, over: Partial<RunStep>): RunStep => ({
    runId, position, pipeline: 'default', name, status: 'succeeded', skipReason: null, exitCode: 0, error: null,
    startedAt: at(50), finishedAt: at(49.9), ...over,
  });
  const steps: Record<number, { steps: RunStep[]; waitingFor: string | null }> = {
    41: {
      waitingFor: null,
      steps: [
        step(41, 0, 'test', {}),
        step(41, 1, 'lint', { status: 'failed', exitCode: 2 }),
        step(41, 2, 'deploy', { status: 'skipped', exitCode: null, skipReason: 'a step it depends on failed', startedAt: null, finishedAt: null }),
      ],
    },
    44: {
      waitingFor: 'no free run slot: this server runs at most 2 runs at a time (SLIPWAY_MAX_RUNS) and 2 are running: 7 (api), 8 (shop)',
      steps: [step(44, 0, 'test', { status: 'pending', exitCode: null, startedAt: null, finishedAt: null })],
    },
  };

  const api = new Hono();
  api.use('*', async (c, next) => {
    const text = ['POST', 'PATCH'].includes(c.req.method) ? await c.req.text() : '';
    calls.push({
      method: c.req.method, path: new URL(c.req.url).pathname + new URL(c.req.url).search, // as sent, not decoded
      authorization: c.req.header('Authorization'), contentType: c.req.header('Content-Type'),
      body: text === '' ? undefined : JSON.parse(text),
    });
    if (c.req.method === 'POST' && c.req.path === '/api/session') {
      // Signing in needs no token; the right password (and TOTP code) gets TOKEN as the session.
      const body = calls.at(-1)?.body as { name?: string; password?: string; totp?: string } | undefined;
      if (body?.name === 'ann' && body.password === 'correct horse battery' && body.totp === '123456') {
        control.revoked = false;
        return c.json({ token: TOKEN, user: { name: 'ann', grants: [{ role: 'owner', app: '*' }], totp: true, createdAt: at(5) }, expiresAt: at(-720) }, 201);
      }
      return c.json({ error: { kind: 'unauthorized', message: 'wrong name or password' } } satisfies ErrorBody, 401);
    }
    if (control.revoked || c.req.header('Authorization') !== `Bearer ${TOKEN}`) return c.json(unauthorized(), 401);
    await next();
  });
  api.get('/me', (c) => c.json({ me: { name: 'ann', kind: 'session', grants: [{ role: 'owner', app: '*' }] } }));
  api.delete('/session', (c) => {
    control.revoked = true;
    return c.body(null, 204);
  });
  api.get('/audit', (c) => c.json({ events: [
    { id: 2, type: 'api.change', app: 'hello', data: { route: 'POST /api/apps/:app/rollback', path: '/api/apps/hello/rollback' }, at: at(1), actor: HOSTILE, source: '10.0.0.7' },
    { id: 1, type: 'run.succeeded', app: 'hello', data: { runId: 42 }, at: at(2), actor: null, source: null },
  ] }));
  api.get('/apps', (c) => c.json({ apps: apps() }));
  api.post('/apps', async (c) => {
    const request = (await c.req.json()) as CreateAppRequest;
    if (request.name === 'hello') {
      const body: ErrorBody = { error: { kind: 'conflict', message: 'app "hello" already exists', field: 'name', hint: 'pick another name or delete the app first' } };
      return c.json(body, 409);
    }
    const app = summary(request.name, request.domain, null, request.replicas ?? 1, base());
    created.push(app);
    return c.json(app, 201);
  });
  api.get('/apps/:app', (c) => {
    const name = c.req.param('app');
    const app = apps().find((a) => a.name === name);
    if (!app) return c.json({ error: { kind: 'not_found', message: `no app "${name}"` } } satisfies ErrorBody, 404);
    const live = name === 'hello' ? releases[0]! : null;
    const status: AppStatus = {
      app: { name, domain: app.domain, port: 3000, replicas: app.replicas, branch: 'main', concurrency: 1, createdAt: app.createdAt },
      url: app.url,
      release: live === null ? null : { ...live, image: `127.0.0.1:5000/slipway/hello@${DIGEST}` },
      replicas: live === null ? { desired: app.replicas, running: 0, healthy: 0 } : { desired: 2, running: 2, healthy: 2 },
      tasks: live === null ? [] : ['k3v9x2m1q8w7e6r5t4y3', 'p0o9i8u7y6t5r4e3w2q1'].map((id, i) => ({
        id, image: `127.0.0.1:5000/slipway/hello@${DIGEST}`, state: 'running', desiredState: 'running',
        message: 'started', error: null, node: `node-${i + 1}`, createdAt: at(31), updatedAt: at(30),
      })),
      lastRun: live === null ? null : runs[0]!,
    };
    return c.json(status);
  });
  api.get('/apps/:app/releases', (c) => c.json({ releases: c.req.param('app') === 'hello' ? releases : [] } satisfies ReleasesResponse));
  api.get('/apps/:app/runs', (c) => c.json({ runs: c.req.param('app') === 'hello' ? runs : [] } satisfies RunsResponse));
  // The app page's Config and Stacks cards (their own behaviour is tested by the client tests).
  api.get('/apps/:app/config', (c) => c.json({ config: c.req.param('app') === 'hello' ? [{ name: 'LOG_LEVEL', secret: false, value: 'debug', updatedAt: at(3) }] : [] } satisfies ConfigResponse));
  api.get('/apps/:app/stacks', (c) => c.json({ stacks: [] } satisfies StacksResponse));
  api.post('/apps/:app/rollback', (c) => {
    runs.unshift(rollbackRun);
    return c.json({ run: rollbackRun } satisfies RunResponse, 202);
  });
  api.get('/runs/:id', (c) => {
    const id = Number(c.req.param('id'));
    const found = runs.find((r) => r.id === id);
    return found ? c.json({ run: found } satisfies RunResponse) : c.json({ error: { kind: 'not_found', message: `no run ${id}` } } satisfies ErrorBody, 404);
  });
  api.get('/runs/:id/steps', (c) => c.json(steps[Number(c.req.param('id'))] ?? { steps: [], waitingFor: null }));
  api.get('/runs/41/steps/default/lint/logs', (c) => c.text(`src/app.ts:3 ${HOSTILE} is not allowed\n`));
  api.post('/runs/41/restart', (c) => {
    runs.unshift(restartedRun);
    return c.json({ run: restartedRun } satisfies RunResponse, 202);
  });
  api.post('/runs/44/cancel', (c) => {
    runs[0] = { ...restartedRun, status: 'cancelled', phase: 'done', finishedAt: at(0) };
    steps[44] = { steps: [{ ...steps[44]!.steps[0]!, status: 'cancelled' }], waitingFor: null };
    return c.json({ run: runs[0] } satisfies RunResponse);
  });
  api.get('/runs/:id/logs', (c) => {
    c.header('Content-Type', 'text/plain; charset=utf-8');
    if (c.req.param('id') !== '43') return c.text(c.req.param('id') === '41' ? '[lint] src/app.ts:3 problem\n' : '');
    return stream(c, async (out) => {
      await out.write('rollback: putting back release #2\nStep 1/4: pull 127.0.0.1:5000/slipway/hello@sha256:2222\n');
      await out.sleep(150);
      await out.write('Step 2/4: update service \x1b[32mslipway-app-hello\x1b[0m\n');
      await logGate; // the test checks the page shows the lines so far while the response is still open
      for (let i = 1; i <= 40; i++) {
        await out.write(`Step 3/4: waiting for health check (${i}/40) <b>not bold</b>\n`);
        if (i % 10 === 0) await out.sleep(80);
      }
      await out.sleep(150);
      await out.write('Step 4/4: release #4 is live\n');
      runs[0] = { ...rollbackRun, status: 'succeeded', phase: 'done', finishedAt: at(0) };
    });
  });
  return { api, calls, control };
}

// ------------------------------------------------------------------------------------------ harness
// Code run in the page is given as strings: this file is Node code, type-checked without the DOM's types.

async function waitForChromium(): Promise<void> {
  // It may still be being installed by apt when the suite starts.
  for (let i = 0; i < 120 && !existsSync(CHROMIUM); i++) await new Promise((r) => setTimeout(r, 5_000));
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install chromium`);
}

describe('dashboard', () => {
  let baseUrl = '';
  const fake = fakeApi(() => baseUrl);
  const server = (() => {
    const app = new Hono();
    app.route('/api', fake.api);
    app.route('/', dashboardRoutes());
    return serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
  })();
  let browser: Browser;
  let page: Page;
  const dialogs: { type: string; message: string }[] = [];
  let confirmAnswer = false;
  const consoleErrors: string[] = [];

  before(async () => {
    await new Promise<void>((resolve) => (server.listening ? resolve() : server.once('listening', () => resolve())));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await waitForChromium();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    page.on('dialog', (dialog: Dialog) => {
      dialogs.push({ type: dialog.type(), message: dialog.message() });
      void (dialog.type() === 'confirm' && confirmAnswer ? dialog.accept() : dialog.dismiss());
    });
    page.on('console', (msg) => { if (msg.type() === 'error') consoleErrors.push(`${msg.text()} ${msg.location().url}`); });
    page.on('pageerror', (err) => consoleErrors.push(err.message));
  });

  after(async () => {
    await browser?.close();
    await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
  });

  const apiCalls = (method: string, path: string): Call[] => fake.calls.filter((c) => c.method === method && c.path === path);

  it('serves the static files with their types and a strict Content-Security-Policy', async () => {
    const files = [['/', 'text/html; charset=utf-8'], ['/app.js', 'text/javascript; charset=utf-8'],
      ['/style.css', 'text/css; charset=utf-8'], ['/favicon.svg', 'image/svg+xml']] as const;
    for (const [path, type] of files) {
      const res = await fetch(baseUrl + path);
      assert.equal(res.status, 200, path);
      assert.equal(res.headers.get('content-type'), type, path);
      assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'self'/, path);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      const again = await fetch(baseUrl + path, { headers: { 'If-None-Match': res.headers.get('etag') ?? '' } });
      assert.equal(again.status, 304, `${path} revalidates`);
    }
  });

  it('keeps the sign-in form, with the API message and hint, when the token is wrong', async () => {
    await page.goto(baseUrl);
    await page.locator('#sign-in').waitFor();
    await page.fill('#token', 'not-the-token');
    await page.click('#sign-in-form button[type=submit]');
    const message = page.locator('#sign-in-message');
    await message.waitFor();
    assert.match(await message.innerText(), /missing or invalid API token[\s\S]*Hint: send the token/);
    assert.equal(await page.isHidden('#dashboard'), true);
    assert.equal(fake.calls.at(-1)?.authorization, 'Bearer not-the-token');
  });

  it('signs in and lists the apps with domain link, live release and replicas', async () => {
    await page.fill('#token', TOKEN);
    await page.click('#sign-in-form button[type=submit]');
    await page.locator('#dashboard').waitFor();
    const hello = page.locator('#app-list li', { hasText: 'hello.example.com' });
    await hello.locator('.replicas', { hasText: '2/2 running' }).waitFor();
    assert.match(await hello.innerText(), /hello[\s\S]*release #3/);
    assert.equal(await hello.locator('a.domain').getAttribute('href'), 'https://hello.example.com/');
    assert.equal(await page.locator('#app-list li').count(), 2);
    assert.ok(apiCalls('GET', '/api/apps').some((c) => c.authorization === `Bearer ${TOKEN}`));
    assert.equal(await page.evaluate("sessionStorage.getItem('slipway.token')"), TOKEN);
    assert.equal(await page.evaluate('localStorage.length'), 0);
  });

  it('shows an HTML-looking app name as text, never as markup', async () => {
    const evil = page.locator('#app-list li', { hasText: 'evil.example.com' });
    await evil.locator('.replicas', { hasText: '0/1 running' }).waitFor();
    assert.equal(await evil.locator('a.app-name').textContent(), HOSTILE);
    await evil.locator('a.app-name').click();
    await page.locator('#detail h1', { hasText: HOSTILE }).waitFor();
    assert.equal(await page.locator('#detail h1').textContent(), HOSTILE);
    assert.ok(apiCalls('GET', `/api/apps/${encodeURIComponent(HOSTILE)}`).length > 0);
    assert.equal(await page.locator('img').count(), 0);
    assert.deepEqual(dialogs.filter((d) => d.type === 'alert'), []);
  });

  it('opens an app: status, releases newest first with roll-back buttons, runs with errors and hints', async () => {
    await page.locator('#app-list a.app-name', { hasText: /^hello$/ }).click();
    await page.locator('#detail h1', { hasText: 'hello' }).waitFor();
    const status = page.locator('#status-card');
    await status.locator('dl').waitFor();
    const statusText = await status.innerText();
    assert.match(statusText, /#3/);
    assert.match(statusText, /sha256:9f86d081884c/);
    assert.doesNotMatch(statusText, /sha256:9f86d081884c7d659a2f/, 'the digest is shortened');
    assert.match(statusText, /2\/2 running/);
    assert.match(statusText, /Tasks \(2\)[\s\S]*node-1[\s\S]*node-2/);

    const rows = page.locator('#releases-card tbody tr');
    assert.deepEqual((await rows.locator('td:first-child').allInnerTexts()).map((t) => t.trim()), ['#3', '#2', '#1']);
    assert.equal(await rows.nth(0).locator('button').count(), 0, 'no roll back to the live release');
    assert.equal(await rows.nth(1).locator('button', { hasText: 'Roll back to this' }).count(), 1);
    assert.match(await rows.nth(1).innerText(), /superseded[\s\S]*2abc123/);

    const runs = await page.locator('#runs-card').innerText();
    assert.match(runs, /#42[\s\S]*#41[\s\S]*failed[\s\S]*step 4\/6 RUN npm ci exited with 1[\s\S]*Hint: run `docker build \.` locally/);
  });

  it('rolls back only after the confirm, POSTing the release number with the token', async () => {
    const button = page.locator('#releases-card tbody tr').nth(1).locator('button');
    confirmAnswer = false;
    await button.click();
    assert.match(dialogs.at(-1)?.message ?? '', /Roll back "hello" to release #2/);
    assert.equal(apiCalls('POST', '/api/apps/hello/rollback').length, 0, 'cancelled confirm sends nothing');

    confirmAnswer = true;
    await button.click();
    await page.locator('#notice', { hasText: 'run #43' }).waitFor();
    const [call] = apiCalls('POST', '/api/apps/hello/rollback');
    assert.ok(call);
    assert.deepEqual(call.body, { release: 2 });
    assert.equal(call.authorization, `Bearer ${TOKEN}`);
    assert.match(call.contentType ?? '', /^application\/json/);
  });

  it("streams the rollback run's log live and follows the tail", async () => {
    const log = page.locator('#log-card pre.log');
    await page.locator('#log-card pre.log', { hasText: 'slipway-app-hello' }).waitFor();
    // The fake is holding the response open here: what is shown arrived while the stream was still running.
    const partial = await log.textContent();
    assert.match(partial ?? '', /Step 1\/4[\s\S]*Step 2\/4: update service slipway-app-hello\n$/);
    assert.doesNotMatch(partial ?? '', /\x1b|\[32m/, 'colour codes are stripped');
    assert.match(await page.locator('#log-card h2').innerText(), /Run #43 log[\s\S]*streaming/);
    assert.ok(apiCalls('GET', '/api/runs/43/logs?follow=1').length === 1);

    fake.control.releaseLog();
    await page.locator('#log-card pre.log', { hasText: 'release #4 is live' }).waitFor();
    assert.match((await log.textContent()) ?? '', /\(40\/40\) <b>not bold<\/b>\nStep 4\/4: release #4 is live\n$/);
    assert.equal(await page.locator('#log-card b').count(), 0);
    const gap = await log.evaluate((pre) => pre.scrollHeight - pre.scrollTop - pre.clientHeight);
    assert.ok(gap < 2, `scrolled to the end (gap ${gap}px)`);
    await page.locator('#log-card h2 .badge', { hasText: 'succeeded' }).waitFor();

    await page.screenshot({ path: '/tmp/slipway-dashboard.png', fullPage: true });
  });

  it('shows a run\'s steps with why each failed or was skipped, their output on demand, and restarts from the failed step', async () => {
    await page.locator('#runs-card tr[data-run="41"] a', { hasText: 'Log' }).click();
    const card = page.locator('#log-card');
    await card.locator('h2', { hasText: 'Run #41 log' }).waitFor();
    const rows = card.locator('.run-steps tbody tr');
    await rows.nth(2).waitFor();
    assert.deepEqual((await rows.locator('td:first-child').allInnerTexts()).map((t) => t.trim()), ['test', 'lint', 'deploy']);
    assert.match(await rows.nth(1).innerText(), /failed[\s\S]*exit code 2/);
    assert.match(await rows.nth(2).innerText(), /skipped[\s\S]*a step it depends on failed/);
    assert.equal(await rows.nth(2).locator('details').count(), 0, 'a step that never started has no output');
    assert.doesNotMatch(await card.locator('.run-steps').innerText(), /null|undefined/);

    await rows.nth(1).locator('summary').click();
    await rows.nth(1).locator('pre.step-log', { hasText: 'is not allowed' }).waitFor();
    assert.equal(await rows.nth(1).locator('pre.step-log').textContent(), `src/app.ts:3 ${HOSTILE} is not allowed\n`);
    assert.equal(await page.locator('img').count(), 0, 'step output is text, never markup');

    await card.locator('button', { hasText: 'Restart from the failed step' }).click();
    await page.locator('#notice', { hasText: 'as run #44' }).waitFor();
    assert.equal(apiCalls('POST', '/api/runs/41/restart').length, 1);
    await card.locator('h2', { hasText: 'Run #44 log' }).waitFor();
    await card.locator('.waiting', { hasText: 'no free run slot' }).waitFor();
    assert.match(await card.locator('.waiting').innerText(), /queued[\s\S]*at most 2 runs at a time \(SLIPWAY_MAX_RUNS\)/);
  });

  it('cancels a queued run only after the confirm', async () => {
    const card = page.locator('#log-card');
    const cancel = card.locator('button', { hasText: 'Cancel run' });
    confirmAnswer = false;
    await cancel.click();
    assert.match(dialogs.at(-1)?.message ?? '', /Cancel run #44 of "hello"\?/);
    assert.equal(apiCalls('POST', '/api/runs/44/cancel').length, 0, 'dismissed confirm sends nothing');
    confirmAnswer = true;
    await cancel.click();
    await page.locator('#notice', { hasText: 'Run #44 of hello is being cancelled' }).waitFor();
    assert.equal(apiCalls('POST', '/api/runs/44/cancel').length, 1);
    await page.locator('#runs-card tr[data-run="44"] .badge', { hasText: 'cancelled' }).waitFor();
  });

  it('creates an app and shows the git remote line; a refused one shows the hint', async () => {
    await page.click('#create summary');
    await page.fill('#create-name', 'hello');
    await page.fill('#create-domain', 'hello2.example.com');
    await page.click('#create-form button[type=submit]');
    const error = page.locator('#create-error');
    await error.waitFor();
    assert.match(await error.innerText(), /app "hello" already exists \(name\)[\s\S]*Hint: pick another name/);

    await page.fill('#create-name', 'shop-api');
    await page.fill('#create-domain', 'shop.example.com');
    await page.fill('#create-replicas', '3');
    await page.click('#create-form button[type=submit]');
    await page.locator('#create-result').waitFor();
    assert.match(await page.locator('#create-result pre').innerText(), new RegExp(`^git remote add slipway ${baseUrl}/git/shop-api\\.git\\ngit push slipway main$`));
    assert.deepEqual(apiCalls('POST', '/api/apps').at(-1)?.body, { name: 'shop-api', domain: 'shop.example.com', replicas: 3 });
    assert.equal(await page.isHidden('#create-error'), true);
    // The page then reloads the list and opens the new app; let that finish before the next test revokes the token.
    await page.locator('#status-card dl').filter({ hasText: '0/3 running' }).waitFor();
    await page.waitForFunction(`document.querySelectorAll('#app-list li').length === 3
      && ![...document.querySelectorAll('#app-list .replicas')].some((e) => e.textContent === 'checking…')`);
  });

  it('returns to the sign-in form with a message when the API answers 401', async () => {
    fake.control.revoked = true;
    await page.click('#refresh');
    await page.locator('#sign-in').waitFor();
    assert.match(await page.locator('#sign-in-message').innerText(), /Signed out: missing or invalid API token/);
    assert.equal(await page.isHidden('#dashboard'), true);
    assert.equal(await page.evaluate("sessionStorage.getItem('slipway.token')"), null);
    assert.deepEqual(consoleErrors.filter((e) => !/status of 40[19]/.test(e)), [], 'no script errors or CSP violations');
  });

  it('signs in with name, password and TOTP code, shows the audit page as text, and signing out revokes the session', async () => {
    await page.fill('#user-name', 'ann');
    await page.fill('#user-password', 'wrong password');
    await page.fill('#user-totp', '123456');
    await page.click('#sign-in-form button[type=submit]');
    await page.locator('#sign-in-message', { hasText: 'wrong name or password' }).waitFor();
    await page.fill('#user-password', 'correct horse battery');
    await page.fill('#user-totp', '123456');
    await page.click('#sign-in-form button[type=submit]');
    await page.locator('#dashboard').waitFor();
    assert.deepEqual(apiCalls('POST', '/api/session').at(-1)?.body, { name: 'ann', password: 'correct horse battery', totp: '123456' });
    assert.equal(await page.evaluate("sessionStorage.getItem('slipway.token')"), TOKEN);
    await page.locator('#whoami', { hasText: 'ann (owner on all apps)' }).waitFor();

    await page.click('#nav-audit');
    const row = page.locator('#page tbody tr').first();
    await row.waitFor();
    assert.match(await row.innerText(), /10\.0\.0\.7[\s\S]*hello[\s\S]*POST \/api\/apps\/:app\/rollback/);
    assert.equal(await row.locator('td').nth(1).innerText(), HOSTILE, 'the actor is text, never markup');
    assert.equal(await page.isHidden('#dashboard'), true);

    await page.click('#sign-out');
    await page.locator('#sign-in').waitFor();
    assert.equal(apiCalls('DELETE', '/api/session').at(-1)?.authorization, `Bearer ${TOKEN}`);
    assert.equal(await page.evaluate("sessionStorage.getItem('slipway.token')"), null);
    assert.deepEqual(consoleErrors.filter((e) => !/status of 40[19]/.test(e)), [], 'no script errors or CSP violations');
  });
});
