// Unit tests of finding docker_gwbridge's gateway, and of making the bridge on a fresh swarm where dockerd has not yet.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SlipwayError } from '../core/errors.js';
import { dockerHostGateway, type GatewayDocker } from './pebble.js';

const notFound = Object.assign(new Error('network docker_gwbridge not found'), { statusCode: 404 });
const bridge = { IPAM: { Config: [{ Subnet: 'fd00::/64', Gateway: 'fd00::1' }, { Subnet: '172.18.0.0/16', Gateway: '172.18.0.1' }] } };

function fakeDocker(opts: { exists: boolean; createFails?: unknown }) {
  let exists = opts.exists;
  const created: unknown[] = [];
  const docker = {
    getNetwork: () => ({ inspect: async () => (exists ? bridge : Promise.reject(notFound)) }),
    createNetwork: async (options: unknown) => {
      created.push(options);
      if (opts.createFails !== undefined) throw opts.createFails;
      exists = true;
    },
  };
  return { docker: docker as unknown as GatewayDocker, created, makeExist: () => (exists = true) };
}

describe('dockerHostGateway', () => {
  it('reads the IPv4 gateway of an existing docker_gwbridge and creates nothing', async () => {
    const { docker, created } = fakeDocker({ exists: true });
    assert.equal(await dockerHostGateway(docker), '172.18.0.1');
    assert.deepEqual(created, []);
  });

  it('creates docker_gwbridge with dockerd\'s own options when a fresh swarm has none yet', async () => {
    const { docker, created } = fakeDocker({ exists: false });
    assert.equal(await dockerHostGateway(docker), '172.18.0.1');
    assert.equal(created.length, 1);
    assert.deepEqual((created[0] as { Options: unknown }).Options, {
      'com.docker.network.bridge.name': 'docker_gwbridge',
      'com.docker.network.bridge.enable_icc': 'false',
      'com.docker.network.bridge.enable_ip_masquerade': 'true',
    });
  });

  it('uses the bridge dockerd made at the same moment (409 on create)', async () => {
    const fake = fakeDocker({ exists: false, createFails: Object.assign(new Error('conflict'), { statusCode: 409 }) });
    const original = fake.docker.createNetwork.bind(fake.docker);
    (fake.docker as { createNetwork: unknown }).createNetwork = async (o: never) => {
      fake.makeExist();
      return original(o);
    };
    assert.equal(await dockerHostGateway(fake.docker), '172.18.0.1');
  });

  it('any other failure is a dependency error that names the network', async () => {
    const { docker } = fakeDocker({ exists: false, createFails: Object.assign(new Error('boom'), { statusCode: 500 }) });
    await assert.rejects(dockerHostGateway(docker), (err: unknown) => err instanceof SlipwayError && err.kind === 'dependency' && /docker_gwbridge: boom/.test(err.message));
  });
});
