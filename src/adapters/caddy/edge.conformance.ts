// The one EdgePort conformance suite: the fake and the Caddy adapter (real Caddy + Pebble) must both pass it.

import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { SlipwayError, type ErrorKind } from '../../core/errors.js';
import type { EdgePort } from '../../core/ports/edge.js';
import type { Route } from '../../core/types.js';

export interface EdgeSubject {
  readonly edge: EdgePort;
  /** Unique per run; the suite routes `<name>.<domainSuffix>`. */
  readonly domainSuffix: string;
  /** A dial address (host:port) that answers: requests routed to it must reach it. */
  readonly upstream: string;
  /** Another dial address, only ever read back (need not answer). */
  readonly otherUpstream: string;
  /** A domain that passes Slipway's checks but the proxy itself refuses. */
  readonly refusedDomain: string;
  /**
   * Waits (up to the subject's own deadline) until requests for the domain reach `upstream` (expected true) or do
   * not (expected false); returns whether they reach it in the end.
   */
  reaches(domain: string, expected: boolean): Promise<boolean>;
  /**
   * Makes a request for the domain, runs the action, makes another on the same kept-alive connection; true if that
   * connection survived (the proxy did not reload).
   */
  keepsConnection(domain: string, action: () => Promise<void>): Promise<boolean>;
  /** Removes whatever the subject made. */
  dispose(): Promise<void>;
}

/** Registers the suite's node:test tests, in the caller's describe; `open` is called once for all of them. */
export function edgeConformance(open: () => Promise<EdgeSubject>): void {
  let s: EdgeSubject;
  const domain = (name: string) => `${name}.${s.domainSuffix}`;
  const route = (name: string, upstreams = [s.upstream]): Route => ({ domain: domain(name), upstreams });
  const slipwayError = (kind: ErrorKind, field?: string) => (err: unknown): boolean => {
    assert.ok(err instanceof SlipwayError, `expected a SlipwayError, got ${String(err)}`);
    assert.equal(err.kind, kind, err.message);
    if (field !== undefined) assert.equal(err.field, field, err.message);
    return true;
  };

  before(async () => {
    s = await open();
  });
  after(async () => {
    await s?.dispose();
  });

  it('accepts the empty route set and reads it back empty', async () => {
    await s.edge.applyRoutes([]);
    assert.deepEqual(await s.edge.currentRoutes(), []);
  });

  it('routes a domain to its upstream and reads the route back', async () => {
    await s.edge.applyRoutes([route('a')]);
    assert.deepEqual(await s.edge.currentRoutes(), [route('a')]);
    assert.equal(await s.reaches(domain('a'), true), true, 'requests for the domain reach the upstream');
  });

  it('reads routes back normalized: sorted by domain, upstreams sorted and de-duplicated', async () => {
    const upstreams = [s.upstream, s.otherUpstream].sort();
    await s.edge.applyRoutes([route('b', [s.otherUpstream, s.upstream, s.otherUpstream]), route('a')]);
    assert.deepEqual(await s.edge.currentRoutes(), [route('a'), route('b', upstreams)]);
  });

  it('replaces the whole set: a route left out is gone, and so is everything after the empty set', async () => {
    await s.edge.applyRoutes([route('a'), route('b')]);
    assert.equal(await s.reaches(domain('b'), true), true);
    await s.edge.applyRoutes([route('b')]);
    assert.deepEqual(await s.edge.currentRoutes(), [route('b')]);
    assert.equal(await s.reaches(domain('a'), false), false, 'the left-out domain is no longer routed');
    assert.equal(await s.reaches(domain('b'), true), true);
    await s.edge.applyRoutes([]);
    assert.deepEqual(await s.edge.currentRoutes(), []);
    assert.equal(await s.reaches(domain('b'), false), false);
  });

  it('is idempotent: the same set again, in another order, keeps open connections; a changed set does not', async () => {
    const set = [route('a'), route('b', [s.upstream, s.otherUpstream])];
    await s.edge.applyRoutes(set);
    assert.equal(await s.reaches(domain('a'), true), true);
    const same = [route('b', [s.otherUpstream, s.upstream, s.upstream]), route('a')];
    assert.equal(await s.keepsConnection(domain('a'), () => s.edge.applyRoutes(same)), true, 'the same set reloaded the proxy');
    assert.equal(await s.keepsConnection(domain('a'), () => s.edge.applyRoutes([route('a')])), false, 'a changed set must reload');
    assert.deepEqual(await s.edge.currentRoutes(), [route('a')]);
  });

  it('refuses a domain routed twice with invalid_input (field domain) and keeps serving the previous set', async () => {
    await s.edge.applyRoutes([route('a')]);
    await assert.rejects(s.edge.applyRoutes([route('a'), route('b'), route('a', [s.otherUpstream])]), slipwayError('invalid_input', 'domain'));
    assert.deepEqual(await s.edge.currentRoutes(), [route('a')]);
    assert.equal(await s.reaches(domain('a'), true), true);
  });

  it('reports a set the proxy rejects as dependency and keeps serving the previous set', async () => {
    await s.edge.applyRoutes([route('a')]);
    await assert.rejects(s.edge.applyRoutes([route('b'), { domain: s.refusedDomain, upstreams: [s.upstream] }]), slipwayError('dependency'));
    assert.deepEqual(await s.edge.currentRoutes(), [route('a')]);
    assert.equal(await s.reaches(domain('a'), true), true);
  });

  it('applies overlapping calls in call order: the last set wins', async () => {
    await Promise.all([
      s.edge.applyRoutes([route('a')]),
      s.edge.applyRoutes([route('a'), route('b')]),
      s.edge.applyRoutes([route('b')]),
    ]);
    assert.deepEqual(await s.edge.currentRoutes(), [route('b')]);
    assert.equal(await s.reaches(domain('b'), true), true);
  });
}
