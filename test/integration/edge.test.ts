// The edge against real components: Caddy as a Swarm service, Pebble as ACME CA, a busybox app on an overlay network.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { Agent } from 'node:https';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Dockerode from 'dockerode';
import { SlipwayError } from '../../src/core/errors.js';
import type { Route } from '../../src/core/types.js';
import { CaddyEdge } from '../../src/adapters/caddy/caddy-edge.js';
import { routesFromCaddyConfig } from '../../src/adapters/caddy/convert.js';
import { ensureEdgeService, type EnsureEdgeOptions } from '../../src/infra/edge-service.js';
import { APP_BODY as BODY, freePorts, httpGet, httpsGet, startEdgeWorld, until, type EdgeWorld } from '../support/edge.js';

const DOMAIN = 'edge-test.example.test';

describe('edge: Caddy service + Pebble + app on an overlay network', { timeout: 240_000 }, () => {
  const docker = new Dockerode();
  let world: EdgeWorld | undefined;
  let issuingRoot = '';
  let edgeOpts: EnsureEdgeOptions;
  let edge: CaddyEdge;
  let routes: Route[];
  let edgeService = '';

  before(async () => {
    world = await startEdgeWorld(docker, 'edge-it');
    ({ issuingRoot, edgeOpts, edge, edgeService } = world);
    routes = [{ domain: DOMAIN, upstreams: [world.upstream] }];
  });

  after(async () => {
    await world?.dispose();
  });

  it('serves the app over HTTPS with a certificate issued by the ACME CA', async () => {
    const started = Date.now();
    await edge.applyRoutes(routes);
    console.log(`routes loaded after ${Date.now() - started} ms`);
    const res = await until(60_000, () => httpsGet(edgeOpts.httpsPort, DOMAIN, issuingRoot));
    console.log(`first verified HTTPS answer after ${Date.now() - started} ms`);
    assert.equal(res.status, 200);
    assert.equal(res.body, BODY);
  });

  it('redirects plain HTTP to HTTPS', async () => {
    const res = await httpGet(edgeOpts.httpPort, DOMAIN);
    assert.ok(res.status === 301 || res.status === 308, `status ${res.status}`);
    assert.equal(res.location, `https://${DOMAIN}/`);
  });

  it('reads the routes back from Caddy and has persisted the same config', async () => {
    assert.deepEqual(await edge.currentRoutes(), routes);
    const file: unknown = JSON.parse(await readFile(join(edgeOpts.hostDir, 'caddy.json'), 'utf8'));
    assert.deepEqual(routesFromCaddyConfig(file), routes);
  });

  it('treats the same routes as a no-op: no reload, open connections stay open', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      assert.equal((await httpsGet(edgeOpts.httpsPort, DOMAIN, issuingRoot, agent)).body, BODY);
      await edge.applyRoutes([...routes].reverse());
      const again = await httpsGet(edgeOpts.httpsPort, DOMAIN, issuingRoot, agent);
      assert.equal(again.body, BODY);
      assert.equal(again.reusedSocket, true, 'a reload would have closed the idle keep-alive connection');
    } finally {
      agent.destroy();
    }
  });

  it('reports a config Caddy rejects as a dependency error and keeps serving the old routes', async () => {
    const fileBefore = await readFile(join(edgeOpts.hostDir, 'caddy.json'), 'utf8');
    // Passes Slipway's domain syntax check, but is not valid IDNA: Caddy refuses to manage a certificate for it.
    const bad = [...routes, { domain: 'xn--zz.edge-test.example.test', upstreams: routes[0]?.upstreams ?? [] }];
    await assert.rejects(edge.applyRoutes(bad), (err: unknown) => {
      assert.ok(err instanceof SlipwayError);
      assert.equal(err.kind, 'dependency');
      assert.match(err.message, /idna|xn--zz/i);
      return true;
    });
    assert.equal((await httpsGet(edgeOpts.httpsPort, DOMAIN, issuingRoot)).body, BODY);
    assert.deepEqual(await edge.currentRoutes(), routes);
    assert.equal(await readFile(join(edgeOpts.hostDir, 'caddy.json'), 'utf8'), fileBefore);
  });

  it('is idempotent, and a restarted edge comes back with its routes and certificate', async () => {
    const before = await edgeContainerId();
    await ensureEdgeService(docker, edgeOpts);
    assert.equal(await edgeContainerId(), before, 'same spec must not restart the edge');

    const started = Date.now();
    await docker.getContainer(before ?? '').kill();
    await until(60_000, async () => {
      const now = await edgeContainerId();
      return now !== undefined && now !== before;
    });
    assert.deepEqual(await edge.currentRoutes(), routes);
    const res = await until(30_000, () => httpsGet(edgeOpts.httpsPort, DOMAIN, issuingRoot));
    console.log(`serving again ${Date.now() - started} ms after the edge container was killed`);
    assert.equal(res.body, BODY);
  });

  it('replaces the task on a spec change (new host port) and comes back with its routes', async () => {
    const [httpsPort] = await freePorts(1);
    edgeOpts = { ...edgeOpts, httpsPort: httpsPort ?? 0 };
    const started = Date.now();
    await ensureEdgeService(docker, edgeOpts);
    console.log(`edge updated and answering after ${Date.now() - started} ms`);
    assert.deepEqual(await edge.currentRoutes(), routes);
    assert.equal((await until(30_000, () => httpsGet(edgeOpts.httpsPort, DOMAIN, issuingRoot))).body, BODY);
  });

  async function edgeContainerId(): Promise<string | undefined> {
    const list = await docker.listContainers({ filters: { label: [`com.docker.swarm.service.name=${edgeService}`], status: ['running'] } });
    return list[0]?.Id;
  }
});
