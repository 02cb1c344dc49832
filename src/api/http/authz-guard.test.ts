// Where a request comes from, for the audit log and the rate limits: the TCP peer itself, or (on the unix socket only
// the edge can reach) the address Caddy forwarded; a forwarded header on a TCP connection is ignored.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Hono } from 'hono';
import { remoteAddress } from './authz-guard.js';

async function addressOf(headers: Record<string, string>, env: unknown): Promise<string | null> {
  const app = new Hono();
  app.get('/', (c) => c.json({ address: remoteAddress(c) }));
  const res = await app.request('/', { headers }, env as never);
  return ((await res.json()) as { address: string | null }).address;
}

describe('remote address', () => {
  it('is the TCP peer, whatever X-Forwarded-For claims', async () => {
    assert.equal(await addressOf({ 'x-forwarded-for': '1.2.3.4' }, { incoming: { socket: { remoteAddress: '127.0.0.1' } } }), '127.0.0.1');
  });

  it('on the unix socket (no peer address) is the last X-Forwarded-For hop, which the edge wrote', async () => {
    assert.equal(await addressOf({ 'x-forwarded-for': '6.6.6.6, 203.0.113.9' }, { incoming: { socket: {} } }), '203.0.113.9');
    assert.equal(await addressOf({}, { incoming: { socket: {} } }), null);
  });

  it('is unknown outside a server (tests, app.request)', async () => {
    assert.equal(await addressOf({ 'x-forwarded-for': '1.2.3.4' }, undefined), null);
  });
});
