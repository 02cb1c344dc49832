// Requests the server makes to URLs that users or payloads name (notify steps, and later notification channels):
// the address is checked after DNS resolution, at connect time, so a name that resolves (or re-resolves) to the host,
// the metadata service or a private network is refused (SSRF; issue 12). Redirects are never followed.

import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { addressClass } from '../core/address-class.js';
import { SlipwayError } from '../core/errors.js';

export interface OutboundPolicy {
  /** Host names and IP addresses an admin allowed although they are private (SLIPWAY_OUTBOUND_ALLOW). */
  readonly allowedHosts: readonly string[];
}

export interface OutboundAnswer {
  readonly status: number;
  /** The first 64 KiB of the answer, for the delivery record. */
  readonly text: string;
}

const MAX_ANSWER = 64 * 1024;

/** POSTs JSON; resolves with any final answer (the caller judges the status), rejects on a refused address or I/O. */
export async function postJson(url: string, body: unknown, policy: OutboundPolicy, opts: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<OutboundAnswer> {
  const target = checkedUrl(url, policy);
  const payload = Buffer.from(JSON.stringify(body));
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return await new Promise((resolve, reject) => {
    const req = request(
      target,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': payload.length, 'user-agent': 'Slipway' },
        lookup: guardedLookup(target.hostname, policy),
        timeout: opts.timeoutMs ?? 10_000,
        ...(opts.signal ? { signal: opts.signal } : {}),
      },
      (res) => readAnswer(res, target, resolve, reject),
    );
    req.on('timeout', () => req.destroy(new SlipwayError('dependency', `${target.host} did not answer within ${opts.timeoutMs ?? 10_000} ms`)));
    req.on('error', (err) => reject(err instanceof SlipwayError ? err : new SlipwayError('dependency', `request to ${target.host} failed: ${err.message}`, { cause: err })));
    req.end(payload);
  });
}

function readAnswer(res: IncomingMessage, target: URL, resolve: (a: OutboundAnswer) => void, reject: (e: Error) => void): void {
  const status = res.statusCode ?? 0;
  if (status >= 300 && status < 400) {
    res.resume();
    reject(new SlipwayError('dependency', `${target.host} answered with a redirect (HTTP ${status}); redirects are not followed`, {
      hint: 'give the final URL of the webhook',
    }));
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  res.on('data', (chunk: Buffer) => {
    if (size < MAX_ANSWER) chunks.push(chunk.subarray(0, MAX_ANSWER - size));
    size += chunk.length;
  });
  res.on('end', () => resolve({ status, text: Buffer.concat(chunks).toString('utf8') }));
  res.on('error', reject);
}

/** The URL if its scheme is http(s) and, for an address literal, the address may be reached. */
export function checkedUrl(url: string, policy: OutboundPolicy): URL {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new SlipwayError('invalid_input', `not a URL: ${JSON.stringify(url)}`, { hint: 'give a full https:// URL' });
  }
  if (target.protocol !== 'https:' && target.protocol !== 'http:') {
    throw new SlipwayError('invalid_input', `only http(s) URLs can be called, not ${target.protocol}`, { hint: 'give a full https:// URL' });
  }
  const host = target.hostname.replace(/^\[|\]$/g, '');
  // An address literal is never looked up, so the connect-time check below would not see it.
  if (isIP(host) !== 0) refuseUnlessAllowed(host, host, policy);
  return target;
}

function refuseUnlessAllowed(host: string, address: string, policy: OutboundPolicy): void {
  const cls = addressClass(address);
  if (cls === 'public' || isAllowed(host, address, policy)) return;
  throw new SlipwayError('forbidden', `${host} is a ${cls.replace('_', '-')} address (${address}): Slipway does not send requests there`, {
    hint: 'use a public URL, or have an admin allow this host with SLIPWAY_OUTBOUND_ALLOW',
  });
}

function isAllowed(host: string, address: string, policy: OutboundPolicy): boolean {
  const allowed = policy.allowedHosts.map((h) => h.toLowerCase());
  return allowed.includes(host.toLowerCase()) || allowed.includes(address);
}

/** A lookup for net.connect that refuses any answer with an address the policy does not allow (exported for the SSRF grid). */
export function guardedLookup(host: string, policy: OutboundPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 0);
      try {
        // Every answer is checked: a name with one public and one private address must not reach the private one.
        for (const a of addresses) refuseUnlessAllowed(host, a.address, policy);
      } catch (refused) {
        return callback(refused as NodeJS.ErrnoException, '', 0);
      }
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      const first = addresses[0];
      if (!first) return callback(new Error(`${hostname} has no address`) as NodeJS.ErrnoException, '', 0);
      return callback(null, first.address, first.family);
    });
  };
}
