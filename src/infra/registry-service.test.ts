// Unit tests of ensureRegistry's decisions (create, keep, start, recreate, refuse) with a scripted docker and /v2/ server.

import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, test } from 'node:test';
import type Dockerode from 'dockerode';
import { FINGERPRINT_LABEL } from '../adapters/registry/container.js';
import { ensureRegistry, removeRegistry } from './registry-service.js';

interface FakeContainer { Id: string; Labels: Record<string, string>; Running: boolean; Paused: boolean; ExitCode: number }

let dir = '';
let server: Server;
let port = 0;
let v2Status = 200;
let containers: Map<string, FakeContainer>;
let calls: string[];
let imagePresent: boolean;
let exitOnStart: boolean;

function httpError(statusCode: number, message: string): Error {
  return Object.assign(new Error(message), { statusCode });
}

function handle(name: string): object {
  const get = (): FakeContainer => {
    const c = containers.get(name);
    if (c === undefined) throw httpError(404, `no such container: ${name}`);
    return c;
  };
  return {
    get id() { return get().Id; },
    inspect: async () => {
      const c = get();
      return { Id: c.Id, Config: { Labels: c.Labels }, State: { Running: c.Running, Paused: c.Paused, Restarting: false, Dead: false, ExitCode: c.ExitCode } };
    },
    start: async () => { calls.push(`start ${name}`); const c = get(); if (exitOnStart) c.ExitCode = 1; else c.Running = true; },
    unpause: async () => { calls.push(`unpause ${name}`); get().Paused = false; },
    remove: async () => { calls.push(`remove ${name}`); get(); containers.delete(name); },
  };
}

const docker = {
  getContainer: (name: string) => handle(name),
  createContainer: async (spec: Dockerode.ContainerCreateOptions) => {
    if (!imagePresent) throw httpError(404, 'No such image: registry:2');
    const name = spec.name ?? '';
    calls.push(`create ${name} ${JSON.stringify(spec.HostConfig?.PortBindings)}`);
    containers.set(name, { Id: `id-${calls.length}`, Labels: spec.Labels ?? {}, Running: false, Paused: false, ExitCode: 0 });
    return handle(name);
  },
  pull: async (image: string) => {
    calls.push(`pull ${image}`);
    imagePresent = true;
    const stream = new PassThrough();
    stream.end('{"status":"Downloaded newer image"}\n');
    return stream;
  },
  modem: {
    followProgress: (stream: NodeJS.ReadableStream, done: (err: Error | null, result: unknown[]) => void) => {
      stream.on('data', () => undefined).on('end', () => done(null, [{ status: 'ok' }]));
    },
  },
} as unknown as Dockerode;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slipway-regsvc-'));
  server = createServer((req, res) => res.writeHead(req.url === '/v2/' ? v2Status : 404).end('{}'));
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  port = (server.address() as AddressInfo).port;
});
after(async () => {
  server.closeAllConnections();
  await new Promise((done) => server.close(done));
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => {
  containers = new Map();
  calls = [];
  v2Status = 200;
  imagePresent = true;
  exitOnStart = false;
});

const options = (): Parameters<typeof ensureRegistry>[1] => ({ containerName: 'reg', hostPort: port, dir, readyTimeoutMs: 2_000 });

test('no container: creates it bound to 127.0.0.1, starts it, returns a client for 127.0.0.1:<port>', async () => {
  const registry = await ensureRegistry(docker, options());
  assert.equal(registry.address, `127.0.0.1:${port}`);
  assert.deepEqual(calls, [`create reg {"5000/tcp":[{"HostIp":"127.0.0.1","HostPort":"${port}"}]}`, 'start reg']);
});

test('same fingerprint and running: left alone', async () => {
  await ensureRegistry(docker, options());
  calls = [];
  await ensureRegistry(docker, options());
  assert.deepEqual(calls, []);
});

test('same fingerprint but stopped or paused: started or unpaused, not recreated', async () => {
  await ensureRegistry(docker, options());
  const c = containers.get('reg');
  assert.ok(c);
  c.Running = false;
  calls = [];
  await ensureRegistry(docker, options());
  assert.deepEqual(calls, ['start reg']);
  c.Paused = true;
  calls = [];
  await ensureRegistry(docker, options());
  assert.deepEqual(calls, ['unpause reg']);
});

test('changed fingerprint (config, htpasswd, port, image): removed and recreated', async () => {
  await ensureRegistry(docker, options());
  const c = containers.get('reg');
  assert.ok(c);
  c.Labels = { ...c.Labels, [FINGERPRINT_LABEL]: 'stale' };
  calls = [];
  await ensureRegistry(docker, options());
  assert.deepEqual(calls.map((line) => line.split(' ').slice(0, 2).join(' ')), ['remove reg', 'create reg', 'start reg']);
});

test("someone else's container of that name is refused, not removed", async () => {
  containers.set('reg', { Id: 'theirs', Labels: {}, Running: true, Paused: false, ExitCode: 0 });
  await assert.rejects(ensureRegistry(docker, options()), { name: 'SlipwayError', kind: 'conflict' });
  await assert.rejects(removeRegistry(docker, 'reg'), { kind: 'conflict' });
  assert.deepEqual(calls, []);
});

test('missing image is pulled, then created', async () => {
  imagePresent = false;
  await ensureRegistry(docker, options());
  assert.deepEqual(calls.map((line) => line.split(' ').slice(0, 2).join(' ')), ['pull registry:2', 'create reg', 'start reg']);
});

test('a container that exits is reported at once, not after the deadline', async () => {
  exitOnStart = true;
  v2Status = 503;
  const started = Date.now();
  await assert.rejects(ensureRegistry(docker, { ...options(), readyTimeoutMs: 10_000 }), { kind: 'dependency', message: /exited with code 1/ });
  assert.ok(Date.now() - started < 5_000);
});

test('a registry that never answers 200 fails at the deadline with a clear error', async () => {
  v2Status = 503;
  await assert.rejects(ensureRegistry(docker, { ...options(), readyTimeoutMs: 400 }), { kind: 'dependency', message: /did not answer within/ });
});

test('wrong credentials fail at once', async () => {
  v2Status = 401;
  await assert.rejects(ensureRegistry(docker, { ...options(), readyTimeoutMs: 10_000 }), { kind: 'dependency', message: /credentials/ });
});

test('invalid name or port is invalid_input', async () => {
  await assert.rejects(ensureRegistry(docker, { ...options(), containerName: 'a b' }), { kind: 'invalid_input' });
  await assert.rejects(ensureRegistry(docker, { ...options(), hostPort: 70_000 }), { kind: 'invalid_input' });
});

test('removeRegistry: removes ours, a missing one is fine', async () => {
  await ensureRegistry(docker, options());
  await removeRegistry(docker, 'reg');
  assert.equal(containers.has('reg'), false);
  await removeRegistry(docker, 'reg');
  assert.deepEqual(calls.slice(-1), ['remove reg']);
});
