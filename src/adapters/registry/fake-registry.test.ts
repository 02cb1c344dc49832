// The RegistryPort conformance suite on FakeRegistry, and what only the fake has (scripting, call records).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SlipwayError } from '../../core/errors.js';
import { Secret } from '../../core/secret.js';
import { FakeRegistry } from './fake-registry.js';
import { registryConformance } from './registry.conformance.js';

describe('registry port: FakeRegistry', () => {
  registryConformance(async () => {
    const fake = new FakeRegistry();
    return {
      registry: fake,
      prefix: 'conformance',
      push: async (repository, tag) => fake.publish(repository, tag),
      retag: async (repository, from, to) => fake.retag(repository, from, to),
      withWrongPassword: () => fake.withPassword(new Secret('wrong-password')),
      unreachable: () => {
        const down = new FakeRegistry();
        down.setReachable(false);
        return down;
      },
      dispose: async () => {},
    };
  });
});

describe('FakeRegistry scripting', () => {
  it('knows what another fake pushed, by full reference, and records every lookup', async () => {
    const digest = `sha256:${'c'.repeat(64)}`;
    const fake = new FakeRegistry({ address: '127.0.0.1:5999', pushed: (ref) => (ref === '127.0.0.1:5999/apps/web:v1' ? digest : undefined) });
    assert.equal(await fake.resolveDigest('apps/web', 'v1'), digest);
    await assert.rejects(fake.resolveDigest('apps/web', 'v2'), (err) => err instanceof SlipwayError && err.kind === 'not_found');
    assert.deepEqual(fake.lookups, ['apps/web:v1', 'apps/web:v2']);
  });

  it('gives the same digest for the same content, as content addressing does', () => {
    const fake = new FakeRegistry();
    assert.equal(fake.publish('apps/a', 'v1', 'same'), fake.publish('apps/b', 'v9', 'same'));
    assert.notEqual(fake.publish('apps/a', 'v1'), fake.publish('apps/a', 'v1'));
  });

  it('accepts the right password through withPassword, and comes back up after setReachable(true)', async () => {
    const fake = new FakeRegistry({ password: new Secret('right') });
    const digest = fake.publish('apps/web', 'v1');
    assert.equal(await fake.withPassword(new Secret('right')).resolveDigest('apps/web', 'v1'), digest);
    fake.setReachable(false);
    await assert.rejects(fake.resolveDigest('apps/web', 'v1'), (err) => err instanceof SlipwayError && err.kind === 'dependency');
    fake.setReachable(true);
    assert.equal(await fake.resolveDigest('apps/web', 'v1'), digest);
  });
});
