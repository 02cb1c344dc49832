import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SlipwayError } from '../../core/errors.js';
import type { FileSelection } from '../../core/ports/git.js';
import { parseCommitLog, parseTreeListing, selectWithinLimits } from './convert.js';

const O = 'b'.repeat(40);

describe('git output', () => {
  it('reads an ls-tree -l -z listing, paths with spaces and tabs included', () => {
    const out = `100644 blob ${O}     120\t.slipway.yml\x00040000 tree ${O}       -\t.slipway/d\x00100644 blob ${O} 7\t.slipway/a\tb.yml\x00`;
    assert.deepEqual(parseTreeListing(out), [
      { mode: '100644', type: 'blob', object: O, size: 120, path: '.slipway.yml' },
      { mode: '040000', type: 'tree', object: O, size: null, path: '.slipway/d' },
      { mode: '100644', type: 'blob', object: O, size: 7, path: '.slipway/a\tb.yml' },
    ]);
    assert.deepEqual(parseTreeListing(''), []);
  });

  it('reads author and message, the message trimmed', () => {
    assert.deepEqual(parseCommitLog('A <a@x>\nSubject\n\nBody\n\n', 'v1'), { author: 'A <a@x>', message: 'Subject\n\nBody', describe: 'v1' });
    assert.deepEqual(parseCommitLog('', null), { author: '', message: '', describe: null });
  });

  it('keeps the accepted blobs within limits, else names the limit and gives the hint', () => {
    const sel: FileSelection = { what: 'pipeline files', paths: [], accept: (p) => p.endsWith('.yml'), limits: { maxFiles: 2, maxFileBytes: 1024 * 1024, maxTotalBytes: 2 * 1024 * 1024 }, hint: 'shrink them' };
    const entry = (path: string, size: number, type = 'blob') => ({ mode: '100644', type, object: O, size, path });
    assert.deepEqual(selectWithinLimits([entry('a.yml', 1), entry('b.txt', 9e9), entry('d.yml', 0, 'tree')], sel, O).map((e) => e.path), ['a.yml']);
    const refused = (entries: ReturnType<typeof entry>[], message: RegExp) =>
      assert.throws(() => selectWithinLimits(entries, sel, O), (err) => err instanceof SlipwayError && err.kind === 'invalid_input' && message.test(err.message) && err.hint === 'shrink them');
    refused([entry('a.yml', 1), entry('b.yml', 1), entry('c.yml', 1)], /^commit bbbbbbbbbbbb has 3 pipeline files; at most 2 are read$/);
    refused([entry('a.yml', 1024 * 1024 + 1)], /a\.yml of 1048577 bytes; pipeline files may be at most 1 MiB each/);
    const three = { ...sel, limits: { ...sel.limits, maxFiles: 3 } };
    assert.throws(
      () => selectWithinLimits([entry('a.yml', 1024 * 1024), entry('b.yml', 1024 * 1024), entry('c.yml', 1)], three, O),
      (err) => err instanceof SlipwayError && err.message === 'commit bbbbbbbbbbbb has 2097153 bytes of pipeline files; at most 2 MiB together are read',
    );
    assert.equal(selectWithinLimits([entry('a.yml', 1024 * 1024), entry('b.yml', 1024 * 1024)], three, O).length, 2);
  });
});
