import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import * as tar from 'tar';
import type { Run } from '../core/types.js';
import { GitRepos } from '../adapters/git/repos.js';
import { RunSources } from './sources.js';

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
