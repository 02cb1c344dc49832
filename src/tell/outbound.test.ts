// Real requests to a receiver on 127.0.0.1 (the only place test traffic may go); every other address is checked
// before anything is sent, so those cases are asserted without a connection.

import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { SlipwayError } from '../core/errors.js';
import { checkedUrl, postJson } from './outbound.js';

let server: Server;
let base: string;
const seen: Array<{ path: string; body: string }> = [];

before(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      seen.push({ path: req.url ?? '', body });
      if (req.url === '/moved') {
        res.writeHead(302, { location: `${base}/target` }).end();
      } else {
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => server.close());

const none = { allowedHosts: [] };
const refused = (kind: string, text: RegExp) => (err: unknown) => err instanceof SlipwayError && err.kind === kind && text.test(err.message);

describe('postJson', () => {
  it('refuses the host itself by address and by name, sending nothing', async () => {
    const before = seen.length;
    await assert.rejects(postJson(`${base}/hook`, { a: 1 }, none), refused('forbidden', /loopback/));
    const port = new URL(base).port;
    await assert.rejects(postJson(`http://localhost:${port}/hook`, { a: 1 }, none), refused('forbidden', /localhost is a loopback address/));
    await assert.rejects(postJson(`http://[::ffff:127.0.0.1]:${port}/hook`, { a: 1 }, none), refused('forbidden', /loopback/));
    assert.equal(seen.length, before);
  });

  it('sends to a host an admin allowed, and gives back the answer', async () => {
    const answer = await postJson(`${base}/hook`, { app: 'web' }, { allowedHosts: ['127.0.0.1'] });
    assert.deepEqual(answer, { status: 200, text: 'ok' });
    assert.deepEqual(seen.at(-1), { path: '/hook', body: '{"app":"web"}' });
    const port = new URL(base).port;
    assert.equal((await postJson(`http://localhost:${port}/hook`, {}, { allowedHosts: ['localhost'] })).status, 200);
  });

  it('never follows a redirect', async () => {
    const before = seen.length;
    await assert.rejects(postJson(`${base}/moved`, {}, { allowedHosts: ['127.0.0.1'] }), refused('dependency', /redirect \(HTTP 302\)/));
    assert.deepEqual(seen.slice(before).map((s) => s.path), ['/moved']);
  });
});

describe('checkedUrl', () => {
  it('refuses metadata, private and unspecified address literals before any connection', () => {
    for (const url of ['http://169.254.169.254/latest/meta-data', 'https://10.0.0.1/', 'http://[fd00::1]/', 'http://0.0.0.0:80/', 'http://[::ffff:a9fe:a9fe]/']) {
      assert.throws(() => checkedUrl(url, none), refused('forbidden', /address/), url);
    }
    assert.equal(checkedUrl('https://hooks.example.com/x', none).host, 'hooks.example.com');
  });

  it('only http and https', () => {
    for (const url of ['file:///etc/passwd', 'gopher://example.com/', 'ftp://example.com/', 'not a url']) {
      assert.throws(() => checkedUrl(url, none), refused('invalid_input', /./), url);
    }
  });
});
