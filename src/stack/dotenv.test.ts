import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDotenv } from './dotenv.js';

describe('.env files', () => {
  it('reads KEY=value, export, comments, quotes (double with escapes, single literal, multi-line)', () => {
    const r = parseDotenv('# c\nA=1\nexport B = two words # comment\nC="x\\ny # kept"\nD=\'$lit\\n\'\nE="line1\nline2"\nF=\nG=a#b\n');
    assert.deepEqual(r.values, { A: '1', B: 'two words', C: 'x\ny # kept', D: '$lit\\n', E: 'line1\nline2', F: '', G: 'a#b' });
    assert.deepEqual(r.errors, []);
  });

  it('reports lines that are not assignments, with their line', () => {
    assert.deepEqual(parseDotenv('A=1\n1BAD=x\nNOVALUE\nQ="open\n').errors, [
      { line: 2, message: '"1BAD" is not a variable name' },
      { line: 3, message: 'NOVALUE has no value (write NOVALUE=value)' },
      { line: 4, message: 'Q: unterminated double quote' },
    ]);
  });
});
