// Fetching from a forge with real git: a smart-HTTP forge on 127.0.0.1 behind an access token.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { SlipwayError } from '../../src/core/errors.js';
import { GitRepos } from '../../src/adapters/git/repos.js';
import type { RemoteFetch } from '../../src/core/ports/git.js';
import { Secret } from '../../src/core/secret.js';
import { startFakeForge, type FakeForge } from '../e2e/support/fake-forge.js';

const git = promisify(execFile);
const TOKEN = 'glpat-fake-token-1234567890';

describe('fetching from a forge', () => {
  let forge: FakeForge;
  let work: string;
  let local: string;
  let repos: GitRepos;
  let main: string;
  let pr: string;
  let tree: string;
  let commit: (file: string) => Promise<string>;

  before(async () => {
    forge = await startFakeForge({ token: TOKEN });
    work = await mkdtemp(join(tmpdir(), 'forge-fetch-'));
    repos = new GitRepos(work);
    local = repos.dirOf('local');
    await repos.ensure('local');
    tree = join(work, 'tree');
    await git('git', ['init', '--quiet', '-b', 'main', tree]);
    commit = async (file: string) => {
      await writeFile(join(tree, file), file);
      await git('git', ['-C', tree, 'add', '.']);
      await git('git', ['-C', tree, '-c', 'user.name=t', '-c', 'user.email=t@x', 'commit', '--quiet', '-m', file]);
      return (await git('git', ['-C', tree, 'rev-parse', 'HEAD'])).stdout.trim();
    };
    await forge.create('web');
    main = await commit('a.txt');
    await forge.push(tree, 'web', 'HEAD', 'refs/heads/main');
    pr = await commit('b.txt');
    await forge.push(tree, 'web', 'HEAD', 'refs/merge-requests/3/head');
  });

  after(async () => {
    await forge.close();
    await rm(work, { recursive: true, force: true });
  });

  const req = (over: Partial<RemoteFetch> = {}): RemoteFetch => ({
    url: forge.urlOf('web'), token: new Secret(TOKEN), remoteRef: 'refs/heads/main', localRef: 'refs/heads/main', commit: main, ...over,
  });
  const fetchFromForge = (r: RemoteFetch) => repos.fetch('local', r);
  const probeForge = (url: string, token: string | null) => repos.probe(url, token === null ? null : new Secret(token));
  const isKind = (kind: string) => (err: unknown) => err instanceof SlipwayError && err.kind === kind && !err.message.includes(TOKEN);

  it('probes a repository with its token, and explains a missing or wrong one without printing it', async () => {
    await probeForge(forge.urlOf('web'), TOKEN);
    const refusedBefore = forge.refused;
    await assert.rejects(probeForge(forge.urlOf('web'), null), isKind('dependency'));
    await assert.rejects(probeForge(forge.urlOf('web'), 'wrong-token'), isKind('dependency'));
    assert.ok(forge.refused > refusedBefore);
  });

  it('fetches a branch and a merge request head under a local name, and checks the announced commit arrived', async () => {
    await fetchFromForge(req());
    assert.equal((await git('git', ['-C', local, 'rev-parse', 'refs/heads/main'])).stdout.trim(), main);
    await fetchFromForge(req({ remoteRef: 'refs/merge-requests/3/head', localRef: 'refs/pull/3/head', commit: pr }));
    assert.equal((await git('git', ['-C', local, 'rev-parse', 'refs/pull/3/head'])).stdout.trim(), pr);
    await assert.rejects(fetchFromForge(req({ commit: 'c'.repeat(40) })), isKind('conflict'));
    await assert.rejects(fetchFromForge(req({ remoteRef: 'refs/heads/nope', localRef: 'refs/heads/nope' })), isKind('dependency'));
  });

  it('refuses a commit that is not the head of the fetched ref (a replayed delivery), naming the head', async () => {
    await git('git', ['-C', tree, 'checkout', '--quiet', '-B', 'main', main]);
    const newer = await commit('c.txt');
    await forge.push(tree, 'web', 'HEAD', 'refs/heads/main');
    await assert.rejects(fetchFromForge(req({ commit: main })), (err) => isKind('conflict')(err) && /not the head of refs\/heads\/main/.test((err as Error).message));
    await fetchFromForge(req({ commit: newer }));
  });

  it('never runs git\'s command or local transports, even if a URL got past parsing', async () => {
    const marker = join(work, 'pwned');
    await assert.rejects(fetchFromForge(req({ url: `ext::sh -c touch% ${marker}`, token: null })), isKind('dependency'));
    await assert.rejects(fetchFromForge(req({ url: `file://${local}`, token: null })), isKind('dependency'));
    assert.equal(existsSync(marker), false);
  });
});
