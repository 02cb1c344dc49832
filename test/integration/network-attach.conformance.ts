// The network-attachment part of the engine port (serviceContainers, connectNetwork, disconnectNetwork), one suite run
// on FakeEngine and on dockerd, so the fake promises no more than Docker does.

import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { SlipwayError } from '../../src/core/errors.js';
import type { EnginePort } from '../../src/core/ports/engine.js';

export interface AttachWorld {
  readonly engine: EnginePort;
  /** A service with one running container on `home`; resolves with its name. */
  startService(home: string): Promise<string>;
  /** Makes `network` joinable for that container (on dockerd: a task on it runs on this node). */
  makeJoinable(network: string): Promise<void>;
  dispose(): Promise<void>;
}

export function networkAttachConformance(make: () => Promise<AttachWorld>, prefix: string): void {
  let w: AttachWorld;
  let service = '';
  let id = '';
  const home = `${prefix}-home`;
  const other = `${prefix}-other`;
  before(async () => {
    w = await make();
    await w.engine.ensureNetwork(home, {});
    await w.engine.ensureNetwork(other, {});
    service = await w.startService(home);
    await w.makeJoinable(other);
    const containers = await w.engine.serviceContainers(service);
    assert.equal(containers.length, 1);
    id = containers[0]!.id;
  });
  after(async () => w.dispose());

  it('serviceContainers lists the running container with the networks of its spec', async () => {
    const [c] = await w.engine.serviceContainers(service);
    assert.ok(c?.networks.includes(home), String(c?.networks));
    assert.ok(!c?.networks.includes(other));
    assert.deepEqual(await w.engine.serviceContainers(`${prefix}-no-such-service`), []);
  });

  it('connectNetwork attaches; again is fine; disconnectNetwork detaches; again is fine', async () => {
    await w.engine.connectNetwork(other, id);
    await w.engine.connectNetwork(other, id);
    assert.ok((await w.engine.serviceContainers(service))[0]?.networks.includes(other));
    await w.engine.disconnectNetwork(other, id);
    await w.engine.disconnectNetwork(other, id);
    assert.ok(!(await w.engine.serviceContainers(service))[0]?.networks.includes(other));
  });

  it('connectNetwork of a network that does not exist is not_found; disconnecting from it is fine', async () => {
    await assert.rejects(w.engine.connectNetwork(`${prefix}-missing`, id), (e: unknown) => e instanceof SlipwayError && e.kind === 'not_found');
    await w.engine.disconnectNetwork(`${prefix}-missing`, id);
  });
}
