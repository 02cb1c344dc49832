import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_LINE, StepLines } from './step-lines.js';

describe('StepLines', () => {
  it('gives whole lines per step, keeping each step\'s unfinished line apart', () => {
    const l = new StepLines();
    assert.deepEqual(l.push('p', 'a', 'one\ntw'), ['one']);
    assert.deepEqual(l.push('p', 'b', 'x'), []);
    assert.deepEqual(l.push('p', 'a', 'o\nthree'), ['two']);
    assert.deepEqual(l.open(), [{ pipeline: 'p', step: 'a' }, { pipeline: 'p', step: 'b' }]);
    assert.equal(l.end('p', 'a'), 'three');
    assert.equal(l.end('p', 'a'), '');
    assert.deepEqual(l.open(), [{ pipeline: 'p', step: 'b' }]);
  });

  it('cuts output without newlines instead of holding it', () => {
    const l = new StepLines();
    const lines = l.push('p', 'bin', 'x'.repeat(MAX_LINE * 2 + 5));
    assert.deepEqual(lines.map((x) => x.length), [MAX_LINE, MAX_LINE]);
    assert.equal(l.end('p', 'bin').length, 5);
  });
});
