import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, describe, it } from 'node:test';
import * as tar from 'tar';
import { SlipwayError } from '../core/errors.js';
import { composeCandidates, composeFileFromTar, DEFAULT_COMPOSE_FILES } from './compose-file.js';

const dirs: string[] = [];
after(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

/** A tar (gzipped or not) of files, paths as given (git archive has no "./", Docker's archive has it). */
async function archive(files: Record<string, string>, opts: { gzip?: boolean; prefix?: string; links?: Record<string, string> } = {}): Promise<Readable> {
  const dir = await mkdtemp(join(tmpdir(), 'slipway-compose-file-'));
  dirs.push(dir);
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  for (const [path, target] of Object.entries(opts.links ?? {})) await symlink(target, join(dir, path));
  const entries = [...Object.keys(files), ...Object.keys(opts.links ?? {})].map((p) => `${opts.prefix ?? ''}${p}`);
  return Readable.from(tar.c({ cwd: dir, gzip: opts.gzip ?? false, portable: true }, entries));
}

describe('compose file lookup', () => {
  it('prefers compose.yaml over the other default names, like docker compose', async () => {
    const found = await composeFileFromTar(await archive({ 'docker-compose.yml': 'old', 'compose.yaml': 'new', 'src/a.js': 'x' }), DEFAULT_COMPOSE_FILES);
    assert.deepEqual(found, { path: 'compose.yaml', text: 'new' });
    const only = await composeFileFromTar(await archive({ 'docker-compose.yml': 'old' }, { gzip: true }), DEFAULT_COMPOSE_FILES);
    assert.deepEqual(only, { path: 'docker-compose.yml', text: 'old' });
  });

  it('finds a named file in a folder, with or without "./" in the archive', async () => {
    const { folder, names } = composeCandidates('deploy/stack.yml');
    assert.deepEqual([folder, names], ['deploy', ['stack.yml']]);
    const found = await composeFileFromTar(await archive({ 'deploy/stack.yml': 'services: {}' }, { prefix: './' }), ['deploy/stack.yml']);
    assert.deepEqual(found, { path: 'deploy/stack.yml', text: 'services: {}' });
    assert.deepEqual(composeCandidates(null), { folder: '.', names: DEFAULT_COMPOSE_FILES });
  });

  it('null when there is none; an error for a link instead of a file', async () => {
    assert.equal(await composeFileFromTar(await archive({ 'README.md': 'hi' }), DEFAULT_COMPOSE_FILES), null);
    assert.equal(await composeFileFromTar(Readable.from([]), DEFAULT_COMPOSE_FILES), null);
    await assert.rejects(
      composeFileFromTar(await archive({ 'real.yaml': 'x' }, { links: { 'compose.yaml': 'real.yaml' } }), DEFAULT_COMPOSE_FILES),
      (err: unknown) => err instanceof SlipwayError && /compose\.yaml is not a regular file/.test(err.message),
    );
  });

  it('stops reading once the preferred file was seen', async () => {
    const text = 'services: {}';
    const big = 64 * 1024 * 1024;
    let served = 0;
    const entry = (path: string, size: number) => {
      const header = new tar.Header({ path, size, type: 'File', mode: 0o644, mtime: new Date(0) });
      header.encode();
      return header.block as Buffer;
    };
    // compose.yaml, then a 64 MiB file that is only made as far as it is read (a workspace with node_modules).
    async function* source() {
      const data = Buffer.alloc(512);
      data.write(text);
      yield Buffer.concat([entry('compose.yaml', text.length), data]);
      yield entry('node_modules.bin', big);
      for (; served < big; served += 64 * 1024) {
        yield Buffer.alloc(64 * 1024);
        await new Promise((r) => setImmediate(r));
      }
    }
    const found = await composeFileFromTar(Readable.from(source()), DEFAULT_COMPOSE_FILES);
    assert.equal(found?.text, text);
    assert.ok(served < 1024 * 1024, `read ${served} bytes after the file`);
  });
});

async function writeTo(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'slipway-compose-file-'));
  dirs.push(dir);
  for (const [path, text] of Object.entries(files)) await writeFile(join(dir, path), text);
  return dir;
}
