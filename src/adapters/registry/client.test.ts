// Unit tests of DistributionRegistry against a scripted HTTP server on 127.0.0.1.

import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { SlipwayError } from '../../core/errors.js';
import { Secret } from '../../core/secret.js';
import { DistributionRegistry, MANIFEST_ACCEPT } from './client.js';

const PASSWORD = 'scripted-password-123456';
const DIGEST = `sha256:${'ab'.repeat(32)}`;
let server: Server;
let address = '';
const seen: IncomingMessage[] = [];

function handle(req: IncomingMessage, res: ServerResponse): void {
  seen.push(req);
  const expected = `Basic ${Buffer.from(`slipway:${PASSWORD}`).toString('base64')}`;
  if (req.headers.authorization !== expected) {
    res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="slipway-registry"' }).end();
    return;
  }
  const url = req.url ?? '';
  if (url === '/v2/') res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
  else if (url === '/v2/apps/hello/manifests/v1') res.writeHead(200, { 'Docker-Content-Digest': DIGEST }).end();
  else if (url === '/v2/apps/nodigest/manifests/v1') res.writeHead(200).end();
  else if (url === '/v2/apps/broken/manifests/v1') res.writeHead(500).end();
  else if (url === '/v2/apps/slow/manifests/v1') setTimeout(() => res.writeHead(200).end(), 2_000);
  else res.writeHead(404).end();
}

before(async () => {
  server = createServer(handle);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  server.closeAllConnections();
  await new Promise((done) => server.close(done));
});

const registry = (password = PASSWORD, timeoutMs?: number): DistributionRegistry =>
  new DistributionRegistry({ address, username: 'slipway', password: new Secret(password), timeoutMs });

function rejectsWith(kind: string, pattern?: RegExp): (err: unknown) => boolean {
  return (err) => {
    assert.ok(err instanceof SlipwayError, String(err));
    assert.equal(err.kind, kind);
    if (pattern) assert.match(err.message, pattern);
    assert.ok(!JSON.stringify(err.toJSON()).includes(PASSWORD), 'password leaked into the error');
    return true;
  };
}

test('resolveDigest: HEAD with Basic auth and all four manifest types, returns Docker-Content-Digest', async () => {
  seen.length = 0;
  assert.equal(await registry().resolveDigest('apps/hello', 'v1'), DIGEST);
  const req = seen[0];
  assert.equal(req?.method, 'HEAD');
  for (const type of ['application/vnd.oci.image.index.v1+json', 'application/vnd.oci.image.manifest.v1+json',
    'application/vnd.docker.distribution.manifest.list.v2+json', 'application/vnd.docker.distribution.manifest.v2+json']) {
    assert.ok(req?.headers.accept?.includes(type), type);
  }
  assert.equal(req?.headers.accept, MANIFEST_ACCEPT);
});

test('resolveDigest: unknown tag is not_found', async () => {
  await assert.rejects(registry().resolveDigest('apps/hello', 'nope'), rejectsWith('not_found', /apps\/hello:nope/));
});

test('resolveDigest: 401 is a dependency error about our credentials, with a hint', async () => {
  await assert.rejects(registry('wrong-password-000000000').resolveDigest('apps/hello', 'v1'), (err: unknown) => {
    rejectsWith('dependency', /registry rejected Slipway's credentials/)(err);
    assert.match((err as SlipwayError).hint ?? '', /restart/);
    assert.ok(!JSON.stringify((err as SlipwayError).toJSON()).includes('wrong-password'));
    return true;
  });
});

test('resolveDigest: other statuses and a missing digest are dependency errors', async () => {
  await assert.rejects(registry().resolveDigest('apps/broken', 'v1'), rejectsWith('dependency', /HTTP 500/));
  await assert.rejects(registry().resolveDigest('apps/nodigest', 'v1'), rejectsWith('dependency', /Docker-Content-Digest/));
});

test('resolveDigest: a slow registry times out as a dependency error', async () => {
  await assert.rejects(registry(PASSWORD, 200).resolveDigest('apps/slow', 'v1'), rejectsWith('dependency', /within 200 ms/));
});

test('resolveDigest: names that could escape the path are invalid_input, no request sent', async () => {
  seen.length = 0;
  for (const [repo, tag] of [['../etc', 'v1'], ['apps/Hello', 'v1'], ['apps/hello', '../x'], ['apps/hello', 'a?b'], ['', 'v1']] as const) {
    await assert.rejects(registry().resolveDigest(repo, tag), rejectsWith('invalid_input'));
  }
  assert.equal(seen.length, 0);
});

test('ping: ok with the right password, credentials error with a wrong one', async () => {
  await registry().ping();
  await assert.rejects(registry('nope-nope-nope-nope').ping(), rejectsWith('dependency', /credentials/));
});

test('unreachable registry is a dependency error', async () => {
  const closed = createServer();
  await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
  const port = (closed.address() as AddressInfo).port;
  await new Promise((done) => closed.close(done));
  const gone = new DistributionRegistry({ address: `127.0.0.1:${port}`, username: 'slipway', password: new Secret(PASSWORD) });
  await assert.rejects(gone.ping(), rejectsWith('dependency', /unreachable: ECONNREFUSED/));
});

test('credentials() carries the address and a Secret', () => {
  const creds = registry().credentials();
  assert.equal(creds.serveraddress, address);
  assert.equal(creds.username, 'slipway');
  assert.equal(String(creds.password), '***');
  assert.equal(creds.password.reveal(), PASSWORD);
});
