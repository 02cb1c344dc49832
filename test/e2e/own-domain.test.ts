// Slipway on its own domain (SLIPWAY_DOMAIN): the API, the git remote and webhooks over HTTPS through the edge with
// a real ACME certificate, while the plain-HTTP port listens on loopback only (issue 12: no tokens in clear text).

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { request } from 'node:https';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import { appClient, waitForBody, type AppClient } from './support/https-client.js';
import { gitInit, removeSources, sampleSource } from './support/app-source.js';
import { startTestSlipway, type TestSlipway } from './support/slipway-process.js';

const run = promisify(execFile);
const ownDomain = 'deploy.own.e2e.test';
const appDomain = 'web.own.e2e.test';
let slipway: TestSlipway;
let ca: string;
let client: AppClient | undefined;

before(async () => {
  slipway = await startTestSlipway({ domain: ownDomain });
  ca = await readFile(join(slipway.dataDir, 'local-ca.pem'), 'utf8');
});

after(async () => {
  client?.close();
  await slipway?.destroy();
  await removeSources();
});

/** A request to Slipway's own domain through the edge, verified against the local ACME CA. */
function viaEdge(method: string, path: string, token?: string, body?: unknown, host = ownDomain): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: slipway.httpsPort,
        method,
        path,
        servername: host,
        ca,
        timeout: 20_000,
        headers: {
          host,
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

/** Until a TLS handshake for the host verifies against the local CA bundle (and, for Slipway's domain, it answers). */
async function untilCertified(host = ownDomain): Promise<void> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    try {
      const res = await viaEdge('GET', '/api/health', undefined, undefined, host);
      if (host !== ownDomain || res.status === 200) return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
    }
    if (Date.now() > deadline) throw new Error(`${host} never answered over HTTPS`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

test('the plain-HTTP port listens on loopback only', async () => {
  const port = new URL(slipway.url).port;
  const { stdout } = await run('ss', ['-Hltn', `sport = :${port}`]);
  const listeners = stdout.trim().split('\n').filter(Boolean);
  assert.ok(listeners.length > 0, `nothing listens on ${port}`);
  for (const line of listeners) assert.match(line, new RegExp(`\\s127\\.0\\.0\\.1:${port}\\s`), line);
});

test('the API answers on Slipway\'s domain over HTTPS with a real certificate, and still asks for a token', async () => {
  await untilCertified();
  const health = await viaEdge('GET', '/api/health');
  assert.equal(health.status, 200);
  assert.equal((JSON.parse(health.body) as { ok: boolean }).ok, true);
  assert.equal((await viaEdge('GET', '/api/apps')).status, 401);
  assert.equal((await viaEdge('GET', '/api/apps', 'not-a-token')).status, 401);
  const apps = await viaEdge('GET', '/api/apps', slipway.token);
  assert.equal(apps.status, 200, apps.body);
});

test('apps made through the HTTPS API print HTTPS git remotes on Slipway\'s domain', async () => {
  const res = await viaEdge('POST', '/api/apps', slipway.token, { name: 'web', domain: appDomain });
  assert.equal(res.status, 201, res.body);
  assert.equal((JSON.parse(res.body) as { gitUrl: string }).gitUrl, `https://${ownDomain}:${slipway.httpsPort}/git/web.git`);
});

test('git push over HTTPS through the edge streams the deploy and the app goes live', async () => {
  const source = await sampleSource('own-domain');
  await gitInit(source);
  const remote = `https://x:${slipway.token}@${ownDomain}:${slipway.httpsPort}/git/web.git`;
  const caFile = join(slipway.dataDir, 'local-ca.pem');
  let output: string;
  try {
    const res = await run(
      'git',
      ['-C', source, '-c', `http.curloptResolve=${ownDomain}:${slipway.httpsPort}:127.0.0.1`, 'push', remote, 'main'],
      { maxBuffer: 32 * 1024 * 1024, env: { ...process.env, GIT_SSL_CAINFO: caFile } },
    );
    output = res.stdout + res.stderr;
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    assert.fail(`git push over HTTPS failed:\n${(e.stdout ?? '') + (e.stderr ?? '')}`);
  }
  assert.match(output, /remote: \[deploy\] --> deploying release v1/);
  assert.match(output, new RegExp(`remote: --> live at https://${appDomain.replace(/\./g, '\\.')}:${slipway.httpsPort}/`));
  client = await appClient(slipway, appDomain);
  assert.match(await waitForBody(client, /version own-domain/), /Hello from Slipway!/);
});

test('after a crash and restart (Pebble starts anew), old sites still verify and a new app gets a certificate', async () => {
  client?.close();
  client = undefined;
  await slipway.kill();
  await slipway.restart();
  // The published bundle now holds the new root beside the one the earlier certificates chain to.
  ca = await readFile(join(slipway.dataDir, 'local-ca.pem'), 'utf8');
  assert.equal((ca.match(/BEGIN CERTIFICATE/g) ?? []).length, 2, 'the bundle keeps the earlier root and adds the new one');
  await untilCertified();
  client = await appClient(slipway, appDomain);
  assert.match((await client.get()).body, /version own-domain/);
  // An app made after the restart: Caddy must register a new account with the new Pebble to get its certificate.
  const late = 'late.own.e2e.test';
  assert.equal((await viaEdge('POST', '/api/apps', slipway.token, { name: 'late', domain: late })).status, 201);
  await untilCertified(late);
});
