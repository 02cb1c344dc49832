import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SlipwayError } from '../core/errors.js';
import { configFromEnv } from './config.js';

describe('configFromEnv', () => {
  it('binds the plain-HTTP API to loopback by default (it carries tokens in clear text)', () => {
    const c = configFromEnv({});
    assert.equal(c.host, '127.0.0.1');
    assert.equal(c.domain, null);
    assert.equal(c.publicUrl, 'http://127.0.0.1:7070');
  });

  it('an admin may still choose another address', () => {
    assert.equal(configFromEnv({ SLIPWAY_HOST: '0.0.0.0' }).host, '0.0.0.0');
  });

  it('with SLIPWAY_DOMAIN users reach Slipway over HTTPS on that domain', () => {
    assert.equal(configFromEnv({ SLIPWAY_DOMAIN: 'deploy.example.com' }).publicUrl, 'https://deploy.example.com');
    const c = configFromEnv({ SLIPWAY_DOMAIN: 'deploy.example.com', SLIPWAY_HTTPS_PORT: '8443' });
    assert.equal(c.domain, 'deploy.example.com');
    assert.equal(c.publicUrl, 'https://deploy.example.com:8443');
    assert.equal(configFromEnv({ SLIPWAY_DOMAIN: 'deploy.example.com', SLIPWAY_PUBLIC_URL: 'https://x.example.com' }).publicUrl, 'https://x.example.com');
  });

  it('refuses a domain that is not a host name, saying what to give', () => {
    for (const bad of ['https://deploy.example.com', 'deploy.example.com:443', 'localhost', 'a b.example.com', 'x.example.com/path']) {
      assert.throws(
        () => configFromEnv({ SLIPWAY_DOMAIN: bad }),
        (err: unknown) => err instanceof SlipwayError && err.field === 'SLIPWAY_DOMAIN' && /host name/.test(err.hint ?? ''),
        bad,
      );
    }
  });

  it('reads the hosts an admin allows outbound requests to', () => {
    assert.deepEqual(configFromEnv({}).outboundAllow, []);
    assert.deepEqual(configFromEnv({ SLIPWAY_OUTBOUND_ALLOW: ' hooks.lan, 10.0.0.5 ,' }).outboundAllow, ['hooks.lan', '10.0.0.5']);
  });
});
