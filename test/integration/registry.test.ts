// Integration: Slipway's registry container against real dockerd: build, push through the Engine API, resolve digests.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { after, before, test } from 'node:test';
import Dockerode from 'dockerode';
import { SlipwayError } from '../../src/core/errors.js';
import { Secret } from '../../src/core/secret.js';
import { DistributionRegistry } from '../../src/adapters/registry/client.js';
import { ensureRegistry, removeRegistry } from '../../src/infra/registry-service.js';
import { freePort, TestImages } from '../support/registry.js';

const docker = new Dockerode();
const run = randomBytes(4).toString('hex');
const containerName = `slipway-registry-it-${run}`;
const repo = `it/hello-${run}`;
const tag = 'v1';
let dir = '';
let port = 0;
let address = '';
let registry: DistributionRegistry;
const images = new TestImages(docker);
/** Every error a test provoked: none may contain a password. */
const errors: unknown[] = [];

async function push(name: string, pushTag: string, username: string, password: Secret): Promise<string> {
  return images.push(name, pushTag, { username, password, serveraddress: address });
}

async function containerId(): Promise<string> {
  return (await docker.getContainer(containerName).inspect()).Id;
}

async function captureError(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    errors.push(err);
    return err;
  }
  assert.fail('expected a rejection');
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slipway-registry-it-'));
  port = await freePort();
  address = `127.0.0.1:${port}`;
});

after(async () => {
  await removeRegistry(docker, containerName);
  await images.removeAll();
  await rm(dir, { recursive: true, force: true });
});

test('ensureRegistry starts the registry on 127.0.0.1 only and it answers', async (t) => {
  const started = Date.now();
  registry = await ensureRegistry(docker, { containerName, hostPort: port, dir });
  t.diagnostic(`registry answered ${Date.now() - started} ms after ensureRegistry was called`);
  assert.equal(registry.address, address);
  await registry.ping();
  const info = await docker.getContainer(containerName).inspect();
  assert.deepEqual(info.HostConfig.PortBindings, { '5000/tcp': [{ HostIp: '127.0.0.1', HostPort: String(port) }] });
  assert.equal(info.HostConfig.RestartPolicy?.Name, 'unless-stopped');
  assert.deepEqual(info.Config.Entrypoint, ['registry']);
  assert.equal((await stat(join(dir, 'credentials.json'))).mode & 0o777, 0o600);
});

test('a second ensureRegistry is a no-op: same container, not restarted', async () => {
  const before = await docker.getContainer(containerName).inspect();
  const again = await ensureRegistry(docker, { containerName, hostPort: port, dir });
  const afterwards = await docker.getContainer(containerName).inspect();
  assert.equal(afterwards.Id, before.Id);
  assert.equal(afterwards.State.StartedAt, before.State.StartedAt);
  assert.equal(again.credentials().password.reveal(), registry.credentials().password.reveal());
});

test('an image pushed through the Engine API resolves to the digest the push reported', async () => {
  const reference = `${address}/${repo}:${tag}`;
  await images.build(reference, `hello from ${run} at ${Date.now()}\n`);
  const { username, password } = registry.credentials();
  const pushed = await push(`${address}/${repo}`, tag, username, password);
  assert.match(pushed, /^sha256:[a-f0-9]{64}$/);
  assert.equal(await registry.resolveDigest(repo, tag), pushed);
});

test('unknown tag and unknown repository are not_found', async () => {
  const tagMissing = await captureError(registry.resolveDigest(repo, 'no-such-tag'));
  assert.ok(tagMissing instanceof SlipwayError && tagMissing.kind === 'not_found', String(tagMissing));
  const repoMissing = await captureError(registry.resolveDigest(`it/absent-${run}`, tag));
  assert.ok(repoMissing instanceof SlipwayError && repoMissing.kind === 'not_found', String(repoMissing));
});

test('a wrong password is the dependency error about credentials, for lookups and for pushes', async () => {
  const wrong = new Secret(`wrong-${randomBytes(16).toString('base64url')}`);
  const impostor = new DistributionRegistry({ address, username: 'slipway', password: wrong });
  const err = await captureError(impostor.resolveDigest(repo, tag));
  assert.ok(err instanceof SlipwayError, String(err));
  assert.equal(err.kind, 'dependency');
  assert.equal(err.message, "registry rejected Slipway's credentials");
  assert.ok(err.hint);
  await captureError(impostor.ping());
  const pushErr = await captureError(push(`${address}/${repo}`, tag, 'slipway', wrong));
  assert.match(String(pushErr), /unauthorized|authentication required|401/i);
  for (const e of errors) assert.ok(!inspect(e, { depth: 5 }).includes(wrong.reveal()), 'wrong password leaked');
});

test('new credentials recreate the container; pushed images survive in data/', async () => {
  const oldId = await containerId();
  const oldPassword = registry.credentials().password;
  const digest = await registry.resolveDigest(repo, tag);
  await rm(join(dir, 'credentials.json'));
  const renewed = await ensureRegistry(docker, { containerName, hostPort: port, dir });
  assert.notEqual(await containerId(), oldId);
  assert.notEqual(renewed.credentials().password.reveal(), oldPassword.reveal());
  assert.equal(await renewed.resolveDigest(repo, tag), digest);
  const stale = new DistributionRegistry({ address, username: 'slipway', password: oldPassword });
  const err = await captureError(stale.resolveDigest(repo, tag));
  assert.ok(err instanceof SlipwayError && err.kind === 'dependency');
  registry = renewed;
});

test('a stopped registry is started again by ensureRegistry (same container)', async () => {
  const id = await containerId();
  await docker.getContainer(containerName).stop({ t: 1 });
  await ensureRegistry(docker, { containerName, hostPort: port, dir });
  assert.equal(await containerId(), id);
  await registry.ping();
});

test('no password ever appears in an error', async () => {
  const stored: unknown = JSON.parse(await readFile(join(dir, 'credentials.json'), 'utf8'));
  const current = (stored as { password: string }).password;
  assert.ok(errors.length >= 5);
  for (const e of errors) {
    const shown = [inspect(e, { depth: 5 }), e instanceof SlipwayError ? JSON.stringify(e.toJSON()) : String(e)].join('\n');
    assert.ok(!shown.includes(current), 'current password leaked');
  }
});
