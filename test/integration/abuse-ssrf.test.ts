// SSRF grid (issue 12): every way to write an address of the host, the metadata service or a private network, as a
// URL literal, as a name a (stubbed) resolver answers with, and end to end against a receiver on 127.0.0.1 that
// counts what reaches it. Redirects are never followed. Repository URLs are counted too: they may name a forge on the
// private network by design (a LAN Gitea), so they are reported, not refused.

import assert from 'node:assert/strict';
import dns from 'node:dns';
import { createServer, type Server } from 'node:http';
import { syncBuiltinESMExports } from 'node:module';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { addressClass } from '../../src/core/address-class.js';
import { SlipwayError } from '../../src/core/errors.js';
import { checkedUrl, guardedLookup, postJson } from '../../src/tell/outbound.js';
import { parseRepoUrl } from '../../src/trigger/forge/repo-url.js';
import { show, Tally } from '../support/fuzz.js';

const none = { allowedHosts: [] };

/** Hosts as a URL may spell them; each is loopback, private, link-local, unspecified or reserved. */
const LITERAL_HOSTS = [
  '127.0.0.1', '127.1', '127.0.1', '0x7f000001', '0x7f.0.0.1', '2130706433', '0177.0.0.1', '017700000001', '127.255.255.254',
  '[::1]', '[0:0:0:0:0:0:0:1]', '[::ffff:127.0.0.1]', '[::ffff:7f00:1]', '[0:0:0:0:0:ffff:7f00:1]', '[::127.0.0.1]', '[::ffff:0:127.0.0.1]', '[64:ff9b::127.0.0.1]', '[2002:7f00:1::]',
  '169.254.169.254', '0xa9fea9fe', '2852039166', '[::ffff:169.254.169.254]', '[fe80::1]', '169.254.0.1',
  '10.0.0.1', '10.255.255.255', '012.0.0.1', '172.16.0.1', '172.31.255.255', '192.168.0.1', '192.168.1.1', '[::ffff:10.0.0.1]', '[::ffff:c0a8:1]',
  '100.64.0.1', '100.127.255.255', '[fd00::1]', '[fc00::1]', '[fd12:3456::1]', '[fec0::1]',
  '0.0.0.0', '0', '0.0.0.1', '[::]', '[::ffff:0.0.0.0]', '255.255.255.255', '224.0.0.1', '[ff02::1]', '192.0.0.1', '198.18.0.1', '240.0.0.1',
];
const SCHEMES = ['http', 'https'];

/** What a (stubbed) resolver answers for names: each list holds at least one address that must not be reached. */
const NAMES: Record<string, string[]> = {
  'loopback.test': ['127.0.0.1'],
  'loopback6.test': ['::1'],
  'mapped.test': ['::ffff:127.0.0.1'],
  'mapped-hex.test': ['::ffff:7f00:1'],
  'mapped-long.test': ['0:0:0:0:0:ffff:7f00:1'],
  'metadata.test': ['169.254.169.254'],
  'metadata6.test': ['fd00:ec2::254'],
  'private10.test': ['10.1.2.3'],
  'private172.test': ['172.20.0.5'],
  'private192.test': ['192.168.50.1'],
  'cgnat.test': ['100.100.100.200'],
  'ula.test': ['fd00::1'],
  'unspecified.test': ['0.0.0.0'],
  'nat64.test': ['64:ff9b::a9fe:a9fe'],
  'sixtofour.test': ['2002:a9fe:a9fe::1'],
  'mixed.test': ['93.184.215.14', '10.0.0.1'],
  'mixed6.test': ['2606:2800:21f:cb07:6820:80da:af6b:8b2c', '::1'],
};
const PUBLIC_NAMES: Record<string, string[]> = { 'public.test': ['93.184.215.14'], 'public6.test': ['2606:2800:21f:cb07:6820:80da:af6b:8b2c'] };

const refusedAs = (err: unknown) => err instanceof SlipwayError && err.kind === 'forbidden';

describe('SSRF grid (issue 12)', () => {
  let server: Server;
  let port: number;
  const hits: string[] = [];
  const realLookup = dns.lookup;

  before(async () => {
    server = createServer((req, res) => {
      hits.push(req.url ?? '');
      if (req.url === '/moved') res.writeHead(302, { location: `http://127.0.0.1:${port}/after-redirect` }).end();
      else res.writeHead(200).end('ok');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
    // A local resolver stub: the names above answer what the table says; anything else answers nothing (no DNS traffic).
    const table = { ...NAMES, ...PUBLIC_NAMES, localhost: ['127.0.0.1'] };
    (dns as { lookup: unknown }).lookup = (hostname: string, options: unknown, callback: (err: Error | null, addresses: dns.LookupAddress[]) => void) => {
      const cb = typeof options === 'function' ? (options as typeof callback) : callback;
      const answer = table[hostname.replace(/\.$/, '').toLowerCase() as keyof typeof table];
      if (answer === undefined) return process.nextTick(() => cb(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), []));
      process.nextTick(() => cb(null, answer.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }))));
    };
    syncBuiltinESMExports();
  });

  after(() => {
    (dns as { lookup: unknown }).lookup = realLookup;
    syncBuiltinESMExports();
    server.close();
  });

  it('refuses every literal form of a non-public address, before any connection', async (ctx) => {
    const tally = new Tally('ssrf literals');
    const allowed: string[] = [];
    for (const scheme of SCHEMES) {
      for (const host of LITERAL_HOSTS) {
        const url = `${scheme}://${host}/hook`;
        await tally.measure(url, () => {
          try {
            checkedUrl(url, none);
            allowed.push(`${url} (parsed as ${new URL(url).hostname})`);
            tally.count('allowed');
          } catch (err) {
            if (!refusedAs(err)) return `not refused as forbidden: ${(err as Error).message}`;
            tally.count('refused');
          }
          return null;
        });
      }
    }
    ctx.diagnostic(tally.summary());
    assert.deepEqual(allowed, []);
    assert.deepEqual(tally.crashes, []);
  });

  it('refuses every resolver answer that holds a non-public address, and lets public answers through', async (ctx) => {
    const tally = new Tally('ssrf names');
    const wrong: string[] = [];
    const ask = (name: string) => new Promise<Error | null>((resolve) => {
      guardedLookup(name, none)(name, { all: true }, (err) => resolve(err));
    });
    for (const [name, answer] of Object.entries({ ...NAMES, ...PUBLIC_NAMES })) {
      for (const spelled of [name, `${name}.`, name.toUpperCase()]) {
        await tally.measure(`${spelled} → ${answer.join(', ')}`, async () => {
          const err = await ask(spelled);
          const shouldRefuse = answer.some((a) => addressClass(a) !== 'public');
          if (shouldRefuse && !refusedAs(err)) wrong.push(`${spelled} → ${answer.join(', ')} was ${err ? `refused as ${err.message}` : 'allowed'}`);
          if (!shouldRefuse && err !== null) wrong.push(`${spelled} → ${answer.join(', ')} (public) was refused: ${err.message}`);
          tally.count(err === null ? 'allowed' : 'refused');
          return null;
        });
      }
    }
    ctx.diagnostic(tally.summary());
    assert.deepEqual(wrong, []);
  });

  it('end to end: nothing reaches a receiver on 127.0.0.1 by any spelling, unless an admin allows it; redirects are not followed', async (ctx) => {
    const tally = new Tally('ssrf requests');
    const spellings = ['127.0.0.1', '127.1', '0x7f000001', '2130706433', '0177.0.0.1', '[::ffff:127.0.0.1]', '[::ffff:7f00:1]', 'localhost', 'localhost.', 'LOCALHOST', 'loopback.test', 'mapped.test', 'mapped-long.test', 'mixed6.test'];
    for (const host of spellings) {
      await tally.measure(host, async () => {
        const before = hits.length;
        const err = await postJson(`http://${host}:${port}/hook`, { x: 1 }, none, { timeoutMs: 2000 }).then(() => null, (e: unknown) => e);
        if (hits.length !== before) return `reached the receiver (${hits.slice(before).join(', ')})`;
        if (!refusedAs(err)) return `not refused as forbidden: ${String((err as Error | null)?.message)}`;
        tally.count('refused');
        return null;
      });
    }
    // The receiver does count: an allowed host reaches it (so "0 reached" above means something).
    const allowed = await postJson(`http://127.0.0.1:${port}/allowed`, { x: 1 }, { allowedHosts: ['127.0.0.1'] });
    assert.equal(allowed.status, 200);
    assert.deepEqual(hits, ['/allowed']);
    // A redirect, even to an allowed host, is an error and its target is never asked.
    await assert.rejects(postJson(`http://127.0.0.1:${port}/moved`, {}, { allowedHosts: ['127.0.0.1'] }), (err) => err instanceof SlipwayError && /redirect/.test(err.message));
    assert.deepEqual(hits, ['/allowed', '/moved']);
    tally.count('redirects followed', 0);
    ctx.diagnostic(tally.summary());
    assert.deepEqual(tally.crashes, []);
  });

  it('repository URLs: counted (a forge on the private network is allowed by design), never a crash', async (ctx) => {
    const tally = new Tally('ssrf repo URLs');
    for (const scheme of ['https', 'http', 'ssh', 'git']) {
      for (const host of LITERAL_HOSTS) {
        const url = `${scheme}://${host}/acme/web.git`;
        await tally.measure(url, () => {
          try {
            parseRepoUrl(url);
            tally.count('allowed');
          } catch (err) {
            if (!(err instanceof SlipwayError)) return `threw ${show((err as Error).message)}`;
            tally.count('refused');
          }
          return null;
        });
      }
    }
    ctx.diagnostic(tally.summary());
    assert.deepEqual(tally.crashes, []);
  });
});
