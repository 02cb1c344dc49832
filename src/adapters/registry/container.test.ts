// Unit tests of the registry container's create options and fingerprint.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FINGERPRINT_LABEL, registryContainerSpec, registryFingerprint, type RegistryContainerInput } from './container.js';

const input: RegistryContainerInput = {
  containerName: 'slipway-registry',
  image: 'registry:2',
  hostPort: 5000,
  dir: '/var/lib/slipway/registry',
  configText: 'version: 0.1\n',
  htpasswdText: 'slipway:$2b$10$hash\n',
};

test('port 5000 is published on 127.0.0.1 only', () => {
  const spec = registryContainerSpec(input);
  assert.deepEqual(spec.HostConfig?.PortBindings, { '5000/tcp': [{ HostIp: '127.0.0.1', HostPort: '5000' }] });
  assert.deepEqual(spec.ExposedPorts, { '5000/tcp': {} });
});

test('entrypoint and command are explicit, restart unless-stopped, a plain container', () => {
  const spec = registryContainerSpec(input);
  assert.equal(spec.name, 'slipway-registry');
  assert.equal(spec.Image, 'registry:2');
  assert.deepEqual(spec.Entrypoint, ['registry']);
  assert.deepEqual(spec.Cmd, ['serve', '/etc/docker/registry/config.yml']);
  assert.deepEqual(spec.HostConfig?.RestartPolicy, { Name: 'unless-stopped' });
});

test('config and htpasswd are mounted read-only, data read-write', () => {
  const mounts = registryContainerSpec(input).HostConfig?.Mounts ?? [];
  assert.deepEqual(mounts.map((m) => [m.Source, m.Target, m.ReadOnly]), [
    ['/var/lib/slipway/registry/config.yml', '/etc/docker/registry/config.yml', true],
    ['/var/lib/slipway/registry/htpasswd', '/etc/docker/registry/htpasswd', true],
    ['/var/lib/slipway/registry/data', '/var/lib/registry', false],
  ]);
  assert.ok(mounts.every((m) => m.Type === 'bind'));
});

test('the fingerprint label changes with every input the container depends on', () => {
  const base = registryFingerprint(input);
  assert.equal(registryContainerSpec(input).Labels?.[FINGERPRINT_LABEL], base);
  assert.equal(registryFingerprint({ ...input }), base);
  for (const change of [{ image: 'registry:2.8' }, { hostPort: 5001 }, { dir: '/srv/r' }, { configText: 'x' }, { htpasswdText: 'y' }]) {
    assert.notEqual(registryFingerprint({ ...input, ...change }), base, JSON.stringify(change));
  }
});
