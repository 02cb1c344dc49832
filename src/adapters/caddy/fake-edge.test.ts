// The EdgePort conformance suite on FakeEdge, and what only the fake has (holding, scripted failures, call records).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SlipwayError } from '../../core/errors.js';
import { edgeConformance } from './edge.conformance.js';
import { FakeEdge } from './fake-edge.js';

describe('edge port: FakeEdge', () => {
  edgeConformance(async () => {
    const fake = new FakeEdge();
    const upstream = 'tasks.slipway-app-web:3000';
    fake.refuseDomain('xn--zz.fake.test');
    return {
      edge: fake,
      domainSuffix: 'fake.test',
      upstream,
      otherUpstream: 'tasks.slipway-app-web:3001',
      refusedDomain: 'xn--zz.fake.test',
      reaches: async (domain) => fake.upstreamsFor(domain)?.includes(upstream) ?? false,
      keepsConnection: async (_domain, action) => {
        const before = fake.reloads;
        await action();
        return fake.reloads === before;
      },
      dispose: async () => {},
    };
  });
});

describe('FakeEdge scripting', () => {
  const web = { domain: 'web.example.com', upstreams: ['tasks.web:3000'] };

  it('records accepted calls as passed, and counts a reload only when the served set changes', async () => {
    const fake = new FakeEdge();
    await fake.applyRoutes([web]);
    await fake.applyRoutes([{ ...web, upstreams: ['tasks.web:3000', 'tasks.web:3000'] }]);
    assert.equal(fake.applied.length, 2);
    assert.equal(fake.reloads, 1);
  });

  it('holds calls until released, then completes them in call order', async () => {
    const fake = new FakeEdge();
    fake.hold();
    const first = fake.applyRoutes([web]);
    const second = fake.applyRoutes([]);
    await new Promise((r) => setTimeout(r, 5));
    assert.deepEqual(fake.applied, []);
    assert.equal(fake.maxInFlight, 2);
    fake.release();
    await Promise.all([first, second]);
    assert.deepEqual(fake.applied, [[web], []]);
    assert.deepEqual(await fake.currentRoutes(), []);
  });

  it('fails the next call as scripted, changing nothing, and fails every call while unreachable', async () => {
    const fake = new FakeEdge();
    await fake.applyRoutes([web]);
    fake.failNext(new Error('boom'));
    await assert.rejects(fake.applyRoutes([]), /boom/);
    assert.deepEqual(await fake.currentRoutes(), [web]);
    fake.setReachable(false);
    await assert.rejects(fake.applyRoutes([]), (err) => err instanceof SlipwayError && err.kind === 'dependency');
    await assert.rejects(fake.currentRoutes(), (err) => err instanceof SlipwayError && err.kind === 'dependency');
    fake.setReachable(true);
    assert.deepEqual(fake.upstreamsFor(web.domain), web.upstreams);
  });
});
