// The edge's container joins the wanted networks and leaves managed ones no longer wanted; a replaced container is
// attached again; networks are forgotten before they are removed.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeEngine } from '../adapters/docker/fake-engine.js';
import { EdgeNetworks } from './edge-networks.js';

const EDGE = 'slipway-edge';
const managed = (n: string) => n.startsWith('slipway-appnet-') || n.startsWith('slipway-stack-');
const labels = { 'io.slipway.instance': 'slipway' };

async function setup() {
  const engine = new FakeEngine();
  await engine.ensureNetwork('slipway', labels);
  await engine.ensureNetwork('slipway-appnet-a', labels);
  engine.startContainer(EDGE, 'c1', ['slipway']);
  return { engine, networks: new EdgeNetworks({ engine, edgeService: EDGE, managed }) };
}

const on = async (engine: FakeEngine, id: string) => (await engine.serviceContainers(EDGE)).find((c) => c.id === id)?.networks;

describe('edge networks', () => {
  it('attaches the running edge container to each wanted network, creating an app network that is missing', async () => {
    const { engine, networks } = await setup();
    const result = await networks.attach([
      { name: 'slipway-appnet-a', labels: null },
      { name: 'slipway-appnet-b', labels: { ...labels, 'io.slipway.app': 'b' } },
    ]);
    assert.deepEqual(result, { containers: 1, connected: ['slipway-appnet-a', 'slipway-appnet-b'], disconnected: [], pending: [] });
    assert.deepEqual(await on(engine, 'c1'), ['slipway', 'slipway-appnet-a', 'slipway-appnet-b']);
    assert.deepEqual(engine.networks().get('slipway-appnet-b'), { ...labels, 'io.slipway.app': 'b' });
    // Already attached: no connect calls the second time.
    const before = engine.calls.filter((c) => c.method === 'connectNetwork').length;
    assert.deepEqual((await networks.attach([{ name: 'slipway-appnet-a', labels: null }, { name: 'slipway-appnet-b', labels: null }])).connected, []);
    assert.equal(engine.calls.filter((c) => c.method === 'connectNetwork').length, before);
  });

  it('leaves managed networks no longer wanted, never its own (spec) network', async () => {
    const { engine, networks } = await setup();
    await networks.attach([{ name: 'slipway-appnet-a', labels: null }]);
    const result = await networks.attach([]);
    assert.deepEqual(result.disconnected, ['slipway-appnet-a']);
    assert.deepEqual(await on(engine, 'c1'), ['slipway']);
  });

  it('a network not joinable yet is pending; the watcher leaves it (joining while the first task starts broke that task), the next sync joins it', async () => {
    const { engine, networks } = await setup();
    const r = await networks.attach([{ name: 'slipway-stack-x_y', labels: null }]);
    assert.deepEqual([r.connected, r.pending], [[], ['slipway-stack-x_y']]);
    assert.equal(await networks.stale(), false, 'pending alone does not make the watcher reconnect');
    await engine.ensureNetwork('slipway-stack-x_y', {});
    assert.deepEqual((await networks.reconcile()).connected, ['slipway-stack-x_y']);
    assert.equal(await networks.stale(), false);
  });

  it('another engine error is a dependency error naming the network', async () => {
    const { engine, networks } = await setup();
    engine.failNext('connectNetwork', new Error('daemon on fire'));
    await assert.rejects(networks.attach([{ name: 'slipway-appnet-a', labels: null }]), /could not join network slipway-appnet-a: .*daemon on fire/);
  });

  it('a replaced edge container is seen and attached again by reconcile', async () => {
    const { engine, networks } = await setup();
    await networks.attach([{ name: 'slipway-appnet-a', labels: null }]);
    assert.equal(await networks.stale(), false);
    engine.stopContainer('c1');
    engine.startContainer(EDGE, 'c2', ['slipway']);
    assert.equal(await networks.stale(), true);
    assert.deepEqual((await networks.reconcile()).connected, ['slipway-appnet-a']);
    assert.deepEqual(await on(engine, 'c2'), ['slipway', 'slipway-appnet-a']);
    assert.equal(await networks.stale(), false);
  });

  it('while no edge container runs, nothing is attached and nothing fails', async () => {
    const { engine, networks } = await setup();
    engine.stopContainer('c1');
    assert.deepEqual(await networks.attach([{ name: 'slipway-appnet-a', labels: null }]), { containers: 0, connected: [], disconnected: [], pending: [] });
  });

  it('forget detaches at once so the network can be removed (removal with the edge on it fails)', async () => {
    const { engine, networks } = await setup();
    await networks.attach([{ name: 'slipway-appnet-a', labels: null }]);
    await assert.rejects(engine.removeNetwork('slipway-appnet-a'), /active endpoints/);
    await networks.forget(['slipway-appnet-a']);
    await engine.removeNetwork('slipway-appnet-a');
    assert.equal(engine.networks().has('slipway-appnet-a'), false);
    assert.deepEqual((await networks.reconcile()).connected, [], 'forgotten: not attached again');
  });

  it('concurrent calls run one after the other (no double connect)', async () => {
    const { engine, networks } = await setup();
    const wanted = [{ name: 'slipway-appnet-a', labels: null }];
    await Promise.all([networks.attach(wanted), networks.attach(wanted), networks.reconcile()]);
    assert.equal(engine.calls.filter((c) => c.method === 'connectNetwork').length, 1);
  });
});
