// packDirectory: relative paths, file contents, and .git left out at any depth.

import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { packDirectory } from './tarball.js';
import { sourceTree } from './testing/source-tree.js';
import { untar } from './testing/untar.js';

describe('packDirectory', () => {
  it('packs the files with paths relative to the directory and leaves .git out', async () => {
    const files = await untar(await packDirectory(await sourceTree()));
    const paths = [...files.keys()].filter((p) => !p.endsWith('/')).sort();
    assert.deepEqual(paths, ['.gitignore', 'Dockerfile', 'src/index.js', 'vendor/lib/lib.js']);
    assert.ok(![...files.keys()].some((p) => p.split('/').includes('.git')));
    assert.equal(files.get('Dockerfile'), 'FROM node:20-slim\nCOPY . /app\n');
  });

  it('refuses a missing, non-directory or empty path', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'slipway-empty-'));
    await assert.rejects(packDirectory(dir), { kind: 'invalid_input', message: /is empty/ });
    await assert.rejects(packDirectory(join(dir, 'nope')), { kind: 'invalid_input', field: 'dir' });
    await writeFile(join(dir, 'file'), 'x');
    await assert.rejects(packDirectory(join(dir, 'file')), { kind: 'invalid_input', message: /not a directory/ });
  });
});
