import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mergeRoots } from './acme.js';

const pem = (n: number) => `-----BEGIN CERTIFICATE-----\nROOT${n}\n-----END CERTIFICATE-----`;

describe('mergeRoots', () => {
  it('keeps earlier roots so certificates issued before a Pebble restart still verify', () => {
    assert.equal(mergeRoots('', `${pem(1)}\n`), `${pem(1)}\n`);
    assert.equal(mergeRoots(`${pem(1)}\n`, `${pem(2)}\n`), `${pem(1)}\n${pem(2)}\n`);
  });

  it('lists a root once, newest last, and keeps a bounded number', () => {
    assert.equal(mergeRoots(`${pem(1)}\n${pem(2)}\n`, pem(1)), `${pem(2)}\n${pem(1)}\n`);
    let bundle = '';
    for (let i = 0; i < 30; i++) bundle = mergeRoots(bundle, pem(i));
    const roots = bundle.match(/ROOT\d+/g) ?? [];
    assert.equal(roots.length, 20);
    assert.deepEqual([roots[0], roots.at(-1)], ['ROOT10', 'ROOT29']);
  });
});
