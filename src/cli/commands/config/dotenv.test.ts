import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDotenv } from './dotenv.js';

const read = (text: string) => Object.fromEntries(parseDotenv(text, '.env').map((e) => [e.key, e.value]));

describe('dotenv', () => {
  it('reads comments, export, spaces, quotes, escapes and inline comments', () => {
    const text = [
      '# a comment',
      '',
      'PLAIN=value',
      'export EXPORTED=yes',
      '  SPACED = around  ',
      'INLINE=abc # a comment',
      'HASH=abc#def',
      "SINGLE='lit \\n $X # not a comment'",
      'DOUBLE="a\\nb\\t\\"q\\" \\\\ \\x" # comment',
      'EMPTY=',
      'EQUALS=a=b=c',
      'URL=postgres://u:p@h:5432/db?sslmode=require',
    ].join('\n');
    assert.deepEqual(read(text), {
      PLAIN: 'value', EXPORTED: 'yes', SPACED: 'around', INLINE: 'abc', HASH: 'abc#def', SINGLE: 'lit \\n $X # not a comment',
      DOUBLE: 'a\nb\t"q" \\ \\x', EMPTY: '', EQUALS: 'a=b=c', URL: 'postgres://u:p@h:5432/db?sslmode=require',
    });
  });

  it('reads quoted values across lines, CRLF files and a BOM; the last of a repeated key wins', () => {
    const entries = parseDotenv('\uFEFFKEY="-----BEGIN\r\nline\r\n-----END"\r\nA=1\r\nA=2\r\n', '.env');
    assert.deepEqual(entries, [{ key: 'KEY', value: '-----BEGIN\nline\n-----END', line: 1 }, { key: 'A', value: '1', line: 4 }, { key: 'A', value: '2', line: 5 }]);
  });

  it('names the line of a bad entry', () => {
    assert.throws(() => parseDotenv('A=1\nnot a pair\n', 'prod.env'), { kind: 'invalid_input', message: 'prod.env:2: expected KEY=VALUE' });
    assert.throws(() => parseDotenv('A=1\nB="open\nC=2\n', '.env'), { message: '.env:2: the double quote opened here is never closed' });
    assert.throws(() => parseDotenv("A='x' y\n", '.env'), { message: '.env:1: unexpected "y" after the closing quote' });
  });
});
