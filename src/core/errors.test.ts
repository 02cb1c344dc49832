import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { asSlipwayError, exitCodeOf, httpStatusOf, SlipwayError } from './errors.js';

describe('errors', () => {
  it('a full disk is named as such (507, its own exit code), from Node and from SQLite', () => {
    for (const code of ['ENOSPC', 'EDQUOT', 'SQLITE_FULL']) {
      const e = asSlipwayError(Object.assign(new Error('write failed'), { code }));
      assert.equal(e.kind, 'no_space', code);
      assert.match(e.message, /disk is full: write failed/);
      assert.match(e.hint ?? '', /SLIPWAY_DATA/);
    }
    assert.equal(httpStatusOf('no_space'), 507);
    assert.equal(exitCodeOf('no_space'), 11);
  });

  it('anything else keeps the fallback kind and the original as cause; a SlipwayError passes through', () => {
    const raw = Object.assign(new Error('boom'), { code: 'EACCES' });
    const e = asSlipwayError(raw, 'dependency');
    assert.equal(e.kind, 'dependency');
    assert.equal(e.cause, raw);
    const own = new SlipwayError('conflict', 'busy');
    assert.equal(asSlipwayError(own), own);
    assert.equal(asSlipwayError('text').message, 'text');
  });
});
