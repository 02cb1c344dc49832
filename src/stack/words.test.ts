import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { splitWords } from './words.js';

describe('command strings', () => {
  it('splits on whitespace with quotes and escapes, as compose does', () => {
    assert.deepEqual(splitWords('httpd -f  -p 8000'), { words: ['httpd', '-f', '-p', '8000'] });
    assert.deepEqual(splitWords(`sh -c 'echo "a b" && exit 1'`), { words: ['sh', '-c', 'echo "a b" && exit 1'] });
    assert.deepEqual(splitWords('echo "x \\"y\\" \\n" a\\ b ""'), { words: ['echo', 'x "y" \\n', 'a b', ''] });
    assert.deepEqual(splitWords('  '), { words: [] });
  });

  it('refuses shell operators outside quotes instead of dropping what follows them', () => {
    const r = splitWords('npm start | tee log');
    assert.ok('error' in r);
    assert.match(r.error, /"\|" outside quotes: .*\[sh, -c/);
    assert.ok('error' in splitWords('a; b'));
    assert.deepEqual(splitWords(`sh -c "a; b"`), { words: ['sh', '-c', 'a; b'] });
  });

  it('reports an unterminated quote', () => {
    assert.deepEqual(splitWords(`echo 'oops`), { error: 'unterminated single quote' });
  });
});
