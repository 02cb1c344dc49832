// Runs the EnginePort conformance suite against the fake and against dockerd (single-node Swarm).

import { describe } from 'node:test';
import Dockerode from 'dockerode';
import { DockerEngine } from '../../src/adapters/docker/docker-engine.js';
import { FakeEngine } from '../../src/adapters/docker/fake-engine.js';
import type { RegistryCredentials } from '../../src/core/ports/registry.js';
import { Secret } from '../../src/core/secret.js';
import { engineConformance } from './engine.conformance.js';
import { ensureTestSwarm } from '../support/swarm.js';

// dockerd ignores registry auth for images it already has, so dummy credentials exercise the real code path.
const credentials: RegistryCredentials = { serveraddress: '127.0.0.1:5999', username: 'conformance', password: new Secret('unused') };


describe('engine port: FakeEngine', () => {
  engineConformance(async () => {
    const fake = new FakeEngine();
    fake.addExternal('network', 'fake-net');
    return {
      engine: fake,
      network: 'fake-net',
      prefix: 'slipway-conf-fake',
      credentials,
      pollMs: 0,
      waitMs: 2_000,
      settlePolls: 8,
      script: (tag, behaviour, logs) => fake.script(tag, behaviour, logs),
      scriptDefinition: (match, behaviour) => fake.scriptDefinition(match, behaviour),
      dispose: async () => {},
    };
  });
});

// Images are deployed by their local tag, without digest and without a registry (measured on this single node):
// the node first tries to pull the tag from Docker Hub, the lookup fails at once here (about 0.15 s, "pulling
// image failed" in dockerd's log) and the local image runs. Swarm also accepts an image ID (`sha256:…`) as the
// reference, which skips the pull altogether: use that where the lookup hangs instead of failing (ENVIRONMENT.md
// measured ~20 s per task in a network namespace without a route).
describe('engine port: DockerEngine on dockerd', { timeout: 300_000 }, () => {
  engineConformance(async () => {
    const docker = new Dockerode({ socketPath: '/var/run/docker.sock' });
    const prefix = `slipway-conf-${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
    const network = `${prefix}-net`;
    await ensureTestSwarm(docker);
    await docker.createNetwork({ Name: network, Driver: 'overlay', Attachable: true, Labels: { 'io.slipway.test': prefix } });
    return {
      engine: new DockerEngine(docker),
      network,
      prefix,
      credentials,
      pollMs: 250,
      waitMs: 60_000,
      settlePolls: 12, // 3 s: dockerd starts a task within about 1 s here
      script: () => {},
      scriptDefinition: () => {},
      dispose: () => removeEverything(docker, prefix, network),
    };
  });
});

/** Services, then the network (refused while a task is still attached), then the images; failures are reported. */
async function removeEverything(docker: Dockerode, prefix: string, network: string): Promise<void> {
  const services = await docker.listServices({ filters: { label: [`io.slipway.test=${prefix}`] } });
  await Promise.all(services.map((svc) => docker.getService(svc.ID ?? '').remove()));
  await until(60_000, () => docker.getNetwork(network).remove().then(() => true, () => false));
  // Networks a case made (labelled like everything else), in case the case failed before removing them.
  for (const n of await docker.listNetworks({ filters: { label: [`io.slipway.test=${prefix}`] } })) {
    await until(60_000, () => docker.getNetwork(n.Id).remove().then(() => true, (e: { statusCode?: number }) => e.statusCode === 404));
  }
  // Configs, secrets and volumes the stack cases made (Swarm lets them go once the tasks using them are gone).
  for (const c of await docker.listConfigs({ filters: { label: [`io.slipway.test=${prefix}`] } })) {
    await until(60_000, () => docker.getConfig(c.ID).remove().then(() => true, (e: { statusCode?: number }) => e.statusCode === 404));
  }
  for (const c of await docker.listSecrets({ filters: { label: [`io.slipway.test=${prefix}`] } })) {
    await until(60_000, () => docker.getSecret(c.ID).remove().then(() => true, (e: { statusCode?: number }) => e.statusCode === 404));
  }
  for (const v of (await docker.listVolumes({ filters: { label: [`io.slipway.test=${prefix}`] } })).Volumes ?? []) {
    await until(60_000, () => docker.getVolume(v.Name).remove().then(() => true, (e: { statusCode?: number }) => e.statusCode === 404));
  }
  // Swarm keeps the node-local copy of a removed overlay network a few seconds longer.
  await until(30_000, () => docker.getNetwork(network).inspect().then(() => false, () => true));
  const images = await docker.listImages({ filters: { label: [`io.slipway.test=${prefix}`] } });
  for (const image of images) {
    for (const tag of image.RepoTags ?? []) await docker.getImage(tag).remove({ force: true });
  }
  await docker.pruneImages({ filters: { dangling: ['true'], label: [`io.slipway.test=${prefix}`] } });
}

async function until(ms: number, done: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`cleanup did not finish within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
