// Runs the RegistryPort conformance suite on Slipway's real registry container, pushing through dockerd (the fake
// runs it in src/adapters/registry/fake-registry.test.ts).

import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'node:test';
import Dockerode from 'dockerode';
import { DistributionRegistry } from '../../src/adapters/registry/client.js';
import { registryConformance } from '../../src/adapters/registry/registry.conformance.js';
import { Secret } from '../../src/core/secret.js';
import { ensureRegistry, removeRegistry } from '../../src/infra/registry-service.js';
import { freePort, TestImages } from '../support/registry.js';

describe('registry port: DistributionRegistry on the registry container', { timeout: 180_000 }, () => {
  registryConformance(async () => {
    const docker = new Dockerode();
    const run = randomBytes(4).toString('hex');
    const containerName = `slipway-registry-conf-${run}`;
    const dir = await mkdtemp(join(tmpdir(), 'slipway-registry-conf-'));
    const images = new TestImages(docker);
    const registry = await ensureRegistry(docker, { containerName, hostPort: await freePort(), dir });
    const { username } = registry.credentials();
    const closedPort = await freePort(); // nothing listens there once freePort has closed it
    let serial = 0;
    const pushTag = (repository: string, tag: string) => images.push(`${registry.address}/${repository}`, tag, registry.credentials());
    return {
      registry,
      prefix: `conf-${run}`,
      push: async (repository, tag) => {
        await images.build(`${registry.address}/${repository}:${tag}`, `image ${++serial} of ${run} at ${Date.now()}\n`);
        return pushTag(repository, tag);
      },
      retag: async (repository, from, to) => {
        await images.tag(`${registry.address}/${repository}`, from, to);
        return pushTag(repository, to);
      },
      withWrongPassword: () => new DistributionRegistry({
        address: registry.address,
        username,
        password: new Secret(`wrong-${randomBytes(16).toString('base64url')}`),
      }),
      unreachable: () => new DistributionRegistry({
        address: `127.0.0.1:${closedPort}`,
        username,
        password: registry.credentials().password,
        timeoutMs: 2_000,
      }),
      dispose: async () => {
        await removeRegistry(docker, containerName);
        await images.removeAll();
        await rm(dir, { recursive: true, force: true });
      },
    };
  });
});
