// The one GitPort conformance suite: every implementation (real git, and a fake if one is written) must pass it.

import assert from 'node:assert/strict';
import type { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, it } from 'node:test';
import * as tar from 'tar';
import { SlipwayError } from '../../core/errors.js';
import type { FileSelection, GitPort } from '../../core/ports/git.js';
import { Secret } from '../../core/secret.js';

export interface GitFixture {
  readonly git: GitPort;
  /** Commits these files (null removes one) on top of `branch` of the app's repository; returns the commit id. */
  commit(app: string, branch: string, files: Readonly<Record<string, string | null>>, message?: string): Promise<string>;
  tag(app: string, name: string, commit: string): Promise<void>;
  dispose(): Promise<void>;
}

/** Makes a fresh fixture (no repositories) for each test. */
export type OpenGit = () => Promise<GitFixture>;

const AUTHOR = 'Test Author <author@slipway.test>';

const isKind = (kind: string, field?: string) => (err: unknown) =>
  err instanceof SlipwayError && err.kind === kind && (field === undefined || err.field === field);

const pipelines = (limits: Partial<FileSelection['limits']> = {}): FileSelection => ({
  what: 'pipeline files',
  paths: ['.slipway.yml', '.slipway/'],
  accept: (p) => /^\.slipway(\.yml|\/[^/]+\.yml)$/.test(p),
  limits: { maxFiles: 100, maxFileBytes: 1024 * 1024, maxTotalBytes: 2 * 1024 * 1024, ...limits },
  hint: 'keep them small',
});

async function tarEntries(stream: Readable): Promise<Map<string, string>> {
  const entries = new Map<string, string>();
  const parser = new tar.Parser({
    onReadEntry: (e) => {
      const chunks: Buffer[] = [];
      e.on('data', (c: Buffer) => chunks.push(c));
      e.on('end', () => entries.set(e.path, Buffer.concat(chunks).toString('utf8')));
    },
  });
  for await (const chunk of stream) parser.write(chunk as Buffer);
  parser.end();
  return entries;
}

/** Registers the suite's node:test tests. */
export function gitConformance(open: OpenGit): void {
  let f: GitFixture;
  beforeEach(async () => {
    f = await open();
    await f.git.ensure('web');
  });
  afterEach(() => f.dispose());

  describe('repositories and branches', () => {
    it('ensure is idempotent and keeps what was pushed; remove forgets it; a missing branch has no head', async () => {
      assert.equal(await f.git.branchHead('web', 'main'), null);
      const c = await f.commit('web', 'main', { Dockerfile: 'FROM busybox\n' });
      await f.git.ensure('web');
      assert.equal(await f.git.branchHead('web', 'main'), c);
      assert.equal(await f.git.branchHead('web', 'feature/login'), null);
      await f.git.remove('web');
      await f.git.remove('web');
      await f.git.ensure('web');
      assert.equal(await f.git.branchHead('web', 'main'), null);
    });

    it('resolves a commit, and an unknown one is not_found', async () => {
      const c = await f.commit('web', 'main', { a: 'a' });
      assert.match(c, /^[0-9a-f]{40}$/);
      assert.equal(await f.git.resolveCommit('web', c), c);
      await assert.rejects(f.git.resolveCommit('web', 'c'.repeat(40)), isKind('not_found'));
    });

    it('refuses branch names git would not create, before git sees them (issue 12)', async () => {
      await f.commit('web', 'main', { a: 'a' });
      for (const bad of ['main~3', 'main^', 'x@{1}', '@', 'HEAD', '--help', '-x', 'a..b', 'a b', 'a:b', 'a?', 'a*', 'a[1]', 'a\\b', '.hidden', 'x/.y', 'x.lock', 'x/', '/x', 'a//b', 'x.', '', 'tab\there']) {
        await assert.rejects(f.git.branchHead('web', bad), isKind('invalid_input', 'branch'), JSON.stringify(bad));
      }
    });

    it('tells whether a file exists at a commit', async () => {
      const c = await f.commit('web', 'main', { Dockerfile: 'FROM busybox\n', 'src/app.js': 'x' });
      assert.equal(await f.git.hasFile('web', c, 'Dockerfile'), true);
      assert.equal(await f.git.hasFile('web', c, 'src/app.js'), true);
      assert.equal(await f.git.hasFile('web', c, 'Containerfile'), false);
      assert.equal(await f.git.hasFile('web', 'c'.repeat(40), 'Dockerfile'), false);
    });
  });

  describe('reading a commit', () => {
    it('reads the selected files: top-level ones and the direct entries of a folder, nothing deeper', async () => {
      const c = await f.commit('web', 'main', {
        '.slipway.yml': 'steps: {}\n', '.slipway/build.yml': 'b\n', '.slipway/deep/x.yml': 'no\n', '.slipway/notes.txt': 'no\n', 'other.yml': 'no\n',
      });
      const files = await f.git.readFiles('web', c, pipelines());
      assert.deepEqual(files, [{ path: '.slipway.yml', text: 'steps: {}\n' }, { path: '.slipway/build.yml', text: 'b\n' }]);
      const none = await f.commit('web', 'main', { '.slipway.yml': null, '.slipway/build.yml': null, '.slipway/deep/x.yml': null, '.slipway/notes.txt': null });
      assert.deepEqual(await f.git.readFiles('web', none, pipelines()), []);
    });

    it('refuses a selection over its limits, naming the limit (issue 12)', async () => {
      const c = await f.commit('web', 'main', { '.slipway/a.yml': 'x'.repeat(600), '.slipway/b.yml': 'y'.repeat(600), '.slipway/c.yml': 'z' });
      await assert.rejects(f.git.readFiles('web', c, pipelines({ maxFiles: 2 })), (err) => isKind('invalid_input')(err) && /3 pipeline files; at most 2/.test((err as Error).message));
      await assert.rejects(f.git.readFiles('web', c, pipelines({ maxFileBytes: 500 })), (err) => isKind('invalid_input', '.slipway/a.yml')(err) && /at most 500 bytes each/.test((err as Error).message));
      await assert.rejects(f.git.readFiles('web', c, pipelines({ maxTotalBytes: 1000 })), (err) => isKind('invalid_input')(err) && /1201 bytes of pipeline files; at most 1000 bytes together/.test((err as Error).message));
      assert.equal((await f.git.readFiles('web', c, pipelines({ maxFiles: 3, maxFileBytes: 600, maxTotalBytes: 1201 }))).length, 3);
    });

    it('lists the paths changed between commits; unknown without a parent or a before', async () => {
      const first = await f.commit('web', 'main', { a: '1', b: '1' });
      const second = await f.commit('web', 'main', { a: '2', 'dir/c': 'new', b: null });
      assert.deepEqual((await f.git.changedFiles('web', first, second))?.sort(), ['a', 'b', 'dir/c']);
      assert.deepEqual(await f.git.changedFiles('web', `${second}^`, second).then((x) => x?.sort()), ['a', 'b', 'dir/c']);
      assert.equal(await f.git.changedFiles('web', `${first}^`, first), null);
      assert.equal(await f.git.changedFiles('web', null, first), null);
      assert.equal(await f.git.changedFiles('web', '0'.repeat(40), first), null);
    });

    it('lists a renamed file under both names and non-ASCII or spaced paths as they are (not quoted)', async () => {
      const body = 'the same content, long enough for git to call the move a rename\n'.repeat(4);
      const first = await f.commit('web', 'main', { 'docs/old.md': body });
      const second = await f.commit('web', 'main', { 'docs/old.md': null, 'docs/new.md': body, 'docs/café menu.md': 'x', 'docs/tab\there.md': 'y' });
      assert.deepEqual((await f.git.changedFiles('web', first, second))?.sort(), ['docs/café menu.md', 'docs/new.md', 'docs/old.md', 'docs/tab\there.md']);
    });

    it('gives author, message and the describe of a tag', async () => {
      const c = await f.commit('web', 'main', { a: '1' }, 'Add a\n\nwith a body\n');
      assert.deepEqual(await f.git.commitInfo('web', c), { author: AUTHOR, message: 'Add a\n\nwith a body', describe: null });
      await f.tag('web', 'v1.0.0', c);
      assert.equal((await f.git.commitInfo('web', c)).describe, 'v1.0.0');
      const next = await f.commit('web', 'main', { a: '2' });
      assert.match((await f.git.commitInfo('web', next)).describe ?? '', /^v1\.0\.0-1-g[0-9a-f]+$/);
    });

    it('refuses a commit that could be read as an option', async () => {
      await assert.rejects(f.git.commitInfo('web', '--output=/tmp/x'), isKind('invalid_input', 'commit'));
      await assert.rejects(f.git.readFiles('web', '--output=/tmp/x', pipelines()), isKind('invalid_input', 'commit'));
    });
  });

  describe('archive', () => {
    it('is the commit as a tar, every byte kept when the reader comes late', async () => {
      const c = await f.commit('web', 'main', { Dockerfile: 'FROM busybox\n', 'app.txt': 'x'.repeat(200_000) });
      const stream = f.git.archive('web', c);
      await new Promise((r) => setTimeout(r, 300));
      const entries = await tarEntries(stream);
      assert.equal(entries.get('Dockerfile'), 'FROM busybox\n');
      assert.equal(entries.get('app.txt')?.length, 200_000);
    });

    it('of an unknown or malformed commit fails the stream once read, never before', async () => {
      for (const bad of ['0'.repeat(40), '--format=zip']) {
        const stream = f.git.archive('web', bad);
        await new Promise((r) => setTimeout(r, 300));
        await assert.rejects(tarEntries(stream), (err: Error) => /0{12}|invalid commit/.test(err.message));
      }
    });
  });

  describe('remotes', () => {
    it('refuses malformed refs and local transports without reaching anything', async () => {
      const fetch = { url: 'https://127.0.0.1:9/none.git', token: new Secret('tok-123456'), remoteRef: 'refs/heads/main', localRef: 'refs/heads/main', commit: 'c'.repeat(40) };
      await assert.rejects(f.git.fetch('web', { ...fetch, remoteRef: 'refs/heads/a..b' }), isKind('invalid_input', 'ref'));
      await assert.rejects(f.git.fetch('web', { ...fetch, localRef: 'main' }), isKind('invalid_input', 'ref'));
      await assert.rejects(f.git.probe('file:///etc', null), (err) => isKind('dependency')(err) && !(err as Error).message.includes('tok-123456'));
    });
  });
}
