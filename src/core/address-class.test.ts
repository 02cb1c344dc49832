import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addressClass } from './address-class.js';

describe('addressClass', () => {
  it('tells the host, the metadata service and private networks from the public internet', () => {
    const cases: Record<string, string> = {
      '127.0.0.1': 'loopback',
      '127.1.2.3': 'loopback',
      '::1': 'loopback',
      '0.0.0.0': 'unspecified',
      '::': 'unspecified',
      '10.1.2.3': 'private',
      '172.16.0.1': 'private',
      '172.31.255.255': 'private',
      '192.168.1.1': 'private',
      '100.64.0.1': 'private',
      'fd00::1': 'private',
      '169.254.169.254': 'link_local',
      'fe80::1': 'link_local',
      '224.0.0.1': 'multicast',
      '255.255.255.255': 'reserved',
      '93.184.216.34': 'public',
      '172.32.0.1': 'public',
      '2606:4700::1111': 'public',
    };
    for (const [ip, cls] of Object.entries(cases)) assert.equal(addressClass(ip), cls, ip);
  });

  it('sees through IPv4 addresses embedded in IPv6', () => {
    assert.equal(addressClass('::ffff:127.0.0.1'), 'loopback');
    assert.equal(addressClass('::ffff:7f00:1'), 'loopback');
    assert.equal(addressClass('::ffff:a9fe:a9fe'), 'link_local');
    assert.equal(addressClass('64:ff9b::10.0.0.1'), 'private');
    assert.equal(addressClass('::ffff:93.184.216.34'), 'public');
    assert.equal(addressClass('::ffff:0:127.0.0.1'), 'loopback');
    assert.equal(addressClass('2002:7f00:1::'), 'loopback');
    assert.equal(addressClass('2002:a9fe:a9fe::1'), 'link_local');
    assert.equal(addressClass('2002:5db8:d822::1'), 'public');
    assert.equal(addressClass('fec0::1'), 'private');
    assert.equal(addressClass('64:ff9b:1::a00:1'), 'private');
  });

  it('refuses what is not an address', () => {
    assert.throws(() => addressClass('localhost'), TypeError);
  });
});
