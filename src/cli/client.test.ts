// The API client: auth header, JSON bodies, error bodies into SlipwayError, unreachable server, live streaming.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Secret } from '../core/secret.js';
import { appPath, SlipwayClient } from './client.js';
import { fail, json, startFakeApi, TOKEN, type FakeApi } from './testing/fake-api.js';
import { Capture } from './testing/test-io.js';

describe('SlipwayClient', () => {
  let api: FakeApi;
  let client: SlipwayClient;
  let releaseSecondChunk: () => void = () => undefined;
  before(async () => {
    api = await startFakeApi({
      'PATCH /api/apps/hello': json({ ok: true }),
      'POST /api/apps': fail('conflict', 'app "hello" already exists', 'pick another name', 'name'),
      'GET /api/plain-502': (_req, res) => {
        res.writeHead(502, { 'content-type': 'text/html' });
        res.end('<html>Bad Gateway</html>');
      },
      'GET /api/stream': async (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('step 1/2\n');
        // The second chunk is only sent once the client has written the first: a buffering client would hang here.
        await new Promise<void>((resolve) => (releaseSecondChunk = resolve));
        res.end('step 2/2 ✓\n');
      },
    });
    client = new SlipwayClient({ url: api.url, token: new Secret(TOKEN) });
  });
  after(() => api.close());

  it('sends JSON with the Bearer token', async () => {
    assert.deepEqual(await client.patch(appPath('hello'), { replicas: 2 }), { ok: true });
    const req = api.requests.at(-1);
    assert.equal(req?.method, 'PATCH');
    assert.equal(req?.headers.authorization, `Bearer ${TOKEN}`);
    assert.equal(req?.headers['content-type'], 'application/json');
    assert.equal(req?.body.toString(), '{"replicas":2}');
  });

  it('escapes app names in paths', () => {
    assert.equal(appPath('../x', '/runs'), '/api/apps/..%2Fx/runs');
  });

  it('turns an ErrorBody into a SlipwayError with kind, field and hint', async () => {
    await assert.rejects(client.post('/api/apps', {}), {
      name: 'SlipwayError',
      kind: 'conflict',
      message: 'app "hello" already exists',
      field: 'name',
      hint: 'pick another name',
    });
  });

  it('derives the kind from the status when the body is not an ErrorBody', async () => {
    await assert.rejects(client.get('/api/plain-502'), { kind: 'dependency', message: /HTTP 502/ });
    await assert.rejects(client.get('/api/nothing-here'), { kind: 'not_found' });
  });

  it('reports an unreachable server as a dependency error with a hint', async () => {
    const down = new SlipwayClient({ url: 'http://127.0.0.1:9', token: new Secret('t') });
    const expected = { kind: 'dependency', message: 'cannot reach Slipway at http://127.0.0.1:9', hint: 'is `slipway up` running? check SLIPWAY_URL' };
    await assert.rejects(down.get('/api/apps'), expected);
    await assert.rejects(down.stream('/api/apps/x/logs', new Capture()), expected);
  });

  it('streams text chunk by chunk as it arrives', async () => {
    const out = new Capture();
    out.onWrite = (chunk) => {
      if (chunk.includes('step 1/2')) releaseSecondChunk();
    };
    await client.stream('/api/stream', out);
    assert.equal(out.text, 'step 1/2\nstep 2/2 ✓\n');
    assert.equal(api.requests.at(-1)?.headers.authorization, `Bearer ${TOKEN}`);
  });

  it('throws the error body of a failed stream instead of printing it', async () => {
    const out = new Capture();
    await assert.rejects(client.stream('/api/apps/ghost/logs', out), { kind: 'not_found' });
    assert.equal(out.text, '');
  });
});
