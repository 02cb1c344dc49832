// Unit tests of ensureEdgeService against a scripted Docker and a stand-in admin socket.

import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type Dockerode from 'dockerode';
import { SlipwayError } from '../core/errors.js';
import { EDGE_SPEC_LABEL } from '../adapters/caddy/service-spec.js';
import { ensureEdgeService, removeEdgeService, type EdgeDocker, type EnsureEdgeOptions } from './edge-service.js';

interface StoredService {
  Version: { Index: number };
  Spec: Dockerode.CreateServiceOptions;
}

/** Scripted Swarm: one service slot; its task runs the current spec at once. */
class FakeDocker implements EdgeDocker {
  service: StoredService | undefined;
  calls: string[] = [];
  outOfSequence = 0;
  swarm: unknown = { NodeID: 'node-1', ControlAvailable: true };

  async info(): Promise<unknown> {
    return { Swarm: this.swarm };
  }
  getService(name: string) {
    return {
      inspect: async (): Promise<unknown> => {
        if (this.service === undefined) throw Object.assign(new Error(`no such service: ${name}`), { statusCode: 404 });
        return structuredClone(this.service);
      },
      update: async (options: object): Promise<unknown> => {
        const { _query, _body } = options as { _query: { version: number }; _body: Dockerode.CreateServiceOptions };
        this.calls.push(`update v${_query.version}`);
        if (this.service === undefined) throw Object.assign(new Error('no such service'), { statusCode: 404 });
        if (this.outOfSequence > 0) {
          this.outOfSequence--;
          this.service.Version.Index++; // someone else wrote in between
        }
        if (_query.version !== this.service.Version.Index) throw new Error('rpc error: code = Unknown desc = update out of sequence');
        this.service = { Version: { Index: this.service.Version.Index + 1 }, Spec: _body };
        return {};
      },
      remove: async (): Promise<unknown> => {
        this.calls.push('remove');
        this.service = undefined;
        return {};
      },
    };
  }
  async createService(spec: Dockerode.CreateServiceOptions): Promise<unknown> {
    this.calls.push('create');
    this.service = { Version: { Index: 1 }, Spec: spec };
    return {};
  }
  async listTasks(): Promise<unknown[]> {
    const spec = this.service?.Spec.TaskTemplate;
    return spec === undefined ? [] : [{ Spec: spec, Status: { State: 'running' }, DesiredState: 'running' }];
  }
  async listContainers(): Promise<unknown[]> {
    return [];
  }
}

describe('ensureEdgeService', () => {
  let dir: string;
  let admin: Server;
  let opts: EnsureEdgeOptions;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'slipway-edge-unit-'));
    opts = { serviceName: 'slipway-edge', network: 'slipway', hostDir: join(dir, 'edge'), dataDir: join(dir, 'data'), httpPort: 80, httpsPort: 443 };
    // Stand-in for Caddy's admin socket, which the real edge container creates in hostDir.
    await mkdir(join(dir, 'edge'));
    admin = createServer((_req, res) => res.end('{"admin":{}}'));
    await new Promise<void>((r) => admin.listen(join(dir, 'edge', 'admin.sock'), r));
  });
  after(async () => {
    await new Promise((r) => admin.close(r));
    await rm(dir, { recursive: true, force: true });
  });

  it('creates the service with stop-first, host-mode ports and the config from the bind-mounted folder', async () => {
    const docker = new FakeDocker();
    const edge = await ensureEdgeService(docker, opts);
    assert.deepEqual(docker.calls, ['create']);
    assert.equal(edge.configFile, join(dir, 'edge', 'caddy.json'));
    const spec = docker.service?.Spec;
    assert.equal(spec?.UpdateConfig?.Order, 'stop-first');
    assert.deepEqual(spec?.TaskTemplate && 'ContainerSpec' in spec.TaskTemplate ? spec.TaskTemplate.ContainerSpec?.Command : undefined, [
      'caddy', 'run', '--config', '/run/edge/caddy.json',
    ]);
    assert.deepEqual(spec?.EndpointSpec, {
      Mode: 'dnsrr',
      Ports: [
        { Protocol: 'tcp', TargetPort: 80, PublishedPort: 80, PublishMode: 'host' },
        { Protocol: 'tcp', TargetPort: 443, PublishedPort: 443, PublishMode: 'host' },
      ],
    });
    assert.deepEqual(spec?.TaskTemplate?.Placement?.Constraints, ['node.id==node-1']);
    const initial: unknown = JSON.parse(await readFile(edge.configFile, 'utf8'));
    assert.deepEqual(initial, { admin: { listen: 'unix//run/edge/admin.sock', origins: ['localhost'], config: { persist: false } } });
  });

  it('leaves an edge with the same spec alone, and keeps an existing config file', async () => {
    const docker = new FakeDocker();
    await ensureEdgeService(docker, opts);
    await writeFile(join(dir, 'edge', 'caddy.json'), '{"admin":{},"kept":true}');
    await ensureEdgeService(docker, opts);
    assert.deepEqual(docker.calls, ['create']);
    assert.match(await readFile(join(dir, 'edge', 'caddy.json'), 'utf8'), /kept/);
  });

  it('updates a changed spec with ?version=, re-reading after "update out of sequence"', async () => {
    const docker = new FakeDocker();
    await ensureEdgeService(docker, opts);
    const before = docker.service?.Spec.Labels?.[EDGE_SPEC_LABEL];
    docker.outOfSequence = 1;
    await ensureEdgeService(docker, { ...opts, httpsPort: 8443 });
    assert.deepEqual(docker.calls, ['create', 'update v1', 'update v2']);
    assert.notEqual(docker.service?.Spec.Labels?.[EDGE_SPEC_LABEL], before);
    assert.equal(docker.service?.Spec.EndpointSpec?.Ports?.[1]?.PublishedPort, 8443);
  });

  it('refuses a service of the same name that is not an edge', async () => {
    const docker = new FakeDocker();
    docker.service = { Version: { Index: 3 }, Spec: { Name: opts.serviceName, Labels: {} } };
    await assert.rejects(ensureEdgeService(docker, opts), (err: unknown) => err instanceof SlipwayError && err.kind === 'conflict');
    await assert.rejects(removeEdgeService(docker, opts.serviceName), (err: unknown) => err instanceof SlipwayError && err.kind === 'conflict');
  });

  it('says so when the engine is not a swarm manager', async () => {
    const docker = new FakeDocker();
    docker.swarm = { NodeID: '', ControlAvailable: false };
    await assert.rejects(ensureEdgeService(docker, opts), (err: unknown) => err instanceof SlipwayError && err.kind === 'dependency' && /swarm/.test(err.message));
  });

  it('validates names and ports before touching anything', async () => {
    const docker = new FakeDocker();
    await assert.rejects(ensureEdgeService(docker, { ...opts, httpPort: 0 }), (err: unknown) => err instanceof SlipwayError && err.field === 'httpPort');
    await assert.rejects(ensureEdgeService(docker, { ...opts, serviceName: '-x' }), (err: unknown) => err instanceof SlipwayError && err.field === 'serviceName');
    assert.deepEqual(docker.calls, []);
  });

  it('removes the service; a missing one is fine', async () => {
    const docker = new FakeDocker();
    await ensureEdgeService(docker, opts);
    await removeEdgeService(docker, opts.serviceName);
    await removeEdgeService(docker, opts.serviceName);
    assert.deepEqual(docker.calls, ['create', 'remove']);
  });
});
