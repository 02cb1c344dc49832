import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import * as tar from 'tar';
import type { Run } from '../core/types.js';
import { GitRepos } from '../adapters/git/repos.js';
import { SlipwayError } from '../core/errors.js';
import { RunSources, UPLOAD_LIMITS } from './sources.js';

const exec = promisify(execFile);

describe('run sources: the build context of a commit', () => {
  let dir = '';
  let sources: RunSources;
  let commit = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'slipway-sources-'));
    const repos = new GitRepos(join(dir, 'git'));
    await repos.ensure('web');
    const work = join(dir, 'work');
    await mkdir(work);
    const git = (...args: string[]) => exec('git', ['-C', work, ...args]);
    await git('init', '-q', '-b', 'main');
    await writeFile(join(work, 'Dockerfile'), 'FROM busybox\n');
    await writeFile(join(work, 'app.txt'), 'x'.repeat(200_000));
    await git('add', '-A');
    await git('-c', 'user.email=t@slipway.test', '-c', 'user.name=t', 'commit', '-q', '-m', 'one');
    await git('push', '-q', repos.dirOf('web'), 'HEAD:refs/heads/main');
    commit = (await git('rev-parse', 'HEAD')).stdout.trim();
    sources = new RunSources(repos, join(dir, 'uploads'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const runOf = (c: string) => ({ app: 'web', source: 'git', commit: c }) as Run;

  async function entriesOf(stream: NodeJS.ReadableStream): Promise<Map<string, number>> {
    const entries = new Map<string, number>();
    const parser = new tar.Parser({ onReadEntry: (e) => { entries.set(e.path, e.size); e.resume(); } });
    for await (const chunk of stream) parser.write(chunk as Buffer);
    parser.end();
    return entries;
  }

  it('keeps every byte when the reader starts only after git has exited', async () => {
    const context = sources.open(runOf(commit));
    // The engine connects before it reads; by then git archive has long finished. Node discards an unread child
    // stdout at exit, so this read used to see an empty stream.
    await sleep(700);
    const entries = await entriesOf(context);
    assert.equal(entries.get('Dockerfile'), 'FROM busybox\n'.length);
    assert.equal(entries.get('app.txt'), 200_000);
  });

  it('a commit git cannot archive fails the stream with git’s reason instead of ending it empty', async () => {
    const context = sources.open(runOf('0'.repeat(40)));
    await sleep(300);
    await assert.rejects(entriesOf(context), (err: Error) => {
      assert.match(err.message, /git archive of 000000000000 failed: .*(not a tree|not a valid|bad|unknown)/i);
      return true;
    });
  });
});

/** A tar built block by block, so a test can write what `tar -c` would not (the same path many times). */
function tarOf(entries: Array<[string, Buffer]>): Buffer {
  const blocks: Buffer[] = [];
  for (const [path, data] of entries) {
    const header = Buffer.alloc(512);
    new tar.Header({ path, size: data.length, type: 'File', mode: 0o644, mtime: new Date(0), uid: 0, gid: 0 }).encode(header);
    blocks.push(header, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  return Buffer.concat([...blocks, Buffer.alloc(1024)]);
}

describe('uploads are bounded while they are checked (issue 12)', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'slipway-upload-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const limits = { maxBytes: 64 * 1024, maxUnpackedBytes: 1024 * 1024, maxEntries: 20 };
  const dockerfile: [string, Buffer] = ['Dockerfile', Buffer.from('FROM busybox\n')];
  const save = (name: string, gz: Buffer) => new RunSources({} as never, join(dir, name), limits).saveUpload(Readable.from([gz]));
  const tooLarge = (message: RegExp) => (err: unknown) => {
    assert.ok(err instanceof SlipwayError, String(err));
    assert.equal(err.kind, 'too_large');
    assert.match(err.message, message);
    assert.match(err.hint ?? '', /\.dockerignore/);
    return true;
  };
  const leftovers = async (name: string) => (await readdir(join(dir, name))).filter((f) => f.startsWith('.incoming'));

  it('the defaults: 512 MiB received, 2 GiB unpacked, 100 000 entries', () => {
    assert.deepEqual(UPLOAD_LIMITS, { maxBytes: 512 * 1024 * 1024, maxUnpackedBytes: 2 * 1024 * 1024 * 1024, maxEntries: 100_000 });
  });

  it('a gzip bomb (a few KiB that unpack past the limit) is refused by its unpacked size', async () => {
    const bomb = gzipSync(tarOf([dockerfile, ['zeros', Buffer.alloc(8 * 1024 * 1024)]]));
    assert.ok(bomb.length < limits.maxBytes, `${bomb.length} bytes sent`);
    await assert.rejects(save('bomb', bomb), tooLarge(/^the upload unpacks to more than 1 MiB$/));
    assert.deepEqual(await leftovers('bomb'), []);
  });

  it('too many entries are refused, counted as they are read', async () => {
    const many = gzipSync(tarOf([dockerfile, ...Array.from({ length: 30 }, (_, i): [string, Buffer] => [`f${i}`, Buffer.alloc(0)])]));
    await assert.rejects(save('many', many), tooLarge(/^the upload has more than 20 files and folders$/));
  });

  it('the received size is refused with too_large too', async () => {
    const { randomBytes } = await import('node:crypto');
    await assert.rejects(save('big', gzipSync(tarOf([dockerfile, ['noise', randomBytes(128 * 1024)]]))), tooLarge(/^the upload is larger than 65536 bytes$/));
  });

  it('an upload within the limits is stored under its sha256', async () => {
    const digest = await save('ok', gzipSync(tarOf([dockerfile, ['app.txt', Buffer.alloc(1000, 97)]])));
    assert.match(digest, /^[0-9a-f]{64}$/);
    assert.deepEqual(await readdir(join(dir, 'ok')), [`${digest}.tar.gz`]);
  });

  it('a corrupt gzip is still invalid_input, not a crash', async () => {
    const gz = gzipSync(tarOf([dockerfile]));
    await assert.rejects(save('corrupt', Buffer.concat([gz.subarray(0, 20), Buffer.alloc(200, 7)])), (err) => err instanceof SlipwayError && err.kind === 'invalid_input' && /not a gzipped tar/.test(err.message));
  });
});
