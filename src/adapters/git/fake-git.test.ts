// Runs the GitPort conformance suite on the in-memory fake.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SlipwayError } from '../../core/errors.js';
import { Secret } from '../../core/secret.js';
import { FakeGit } from './fake-git.js';
import { gitConformance } from './git.conformance.js';

describe('fake git', () => {
  gitConformance(async () => {
    const git = new FakeGit();
    return {
      git,
      commit: async (app, branch, files, message) => git.commit(app, branch, files, message).id,
      tag: async (app, name, commit) => git.tag(app, name, commit),
      dispose: async () => undefined,
    };
  });
});

const isKind = (kind: string) => (err: unknown) => err instanceof SlipwayError && err.kind === kind;

describe('fake git remotes', () => {
  it('fetches a ref with its history from a remote that wants a token, and checks the announced commit', async () => {
    const forge = new FakeGit();
    await forge.ensure('acme');
    const one = forge.commit('acme', 'main', { a: '1' });
    const two = forge.commit('acme', 'main', { a: '2' });
    const git = new FakeGit();
    await git.ensure('web');
    git.addRemote('https://forge.test/acme.git', forge, 'acme', 'tok');
    const req = { url: 'https://forge.test/acme.git', token: new Secret('tok'), remoteRef: 'refs/heads/main', localRef: 'refs/heads/main', commit: two.id };
    await git.probe(req.url, req.token);
    await assert.rejects(git.probe(req.url, null), isKind('dependency'));
    await git.fetch('web', req);
    assert.equal(await git.branchHead('web', 'main'), two.id);
    assert.deepEqual(await git.changedFiles('web', one.id, two.id), ['a']);
    await assert.rejects(git.fetch('web', { ...req, commit: 'c'.repeat(40) }), isKind('conflict'));
    // Like real git: an older commit of the branch (a replayed delivery) is refused, not run again (abuse suite).
    await assert.rejects(git.fetch('web', { ...req, commit: one.id }), (err) => isKind('conflict')(err) && /not the head/.test((err as Error).message));
    await assert.rejects(git.fetch('web', { ...req, remoteRef: 'refs/heads/nope' }), isKind('dependency'));
  });
});
