import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { SlipwayError } from '../../core/errors.js';
import { payloadOf, readForgeEvent, recogniseDelivery, safeRefName, verifyDelivery, type Delivery } from './deliveries.js';

const SHA = 'a'.repeat(40);
const SHA2 = 'b'.repeat(40);
const secret = 'correct horse battery staple';
const body = Buffer.from('{"zen":"Keep it logically awesome."}');
const hmac = (key: string, data: Uint8Array) => createHmac('sha256', key).update(data).digest('hex');
const isKind = (kind: string, field?: string) => (err: unknown) => err instanceof SlipwayError && err.kind === kind && (field === undefined || err.field === field);

describe('recogniseDelivery', () => {
  it('tells the forges apart; Gitea and Forgejo first, as they also send GitHub headers', () => {
    assert.deepEqual(recogniseDelivery({ 'x-github-event': 'push' }), { forge: 'github', event: 'push' });
    assert.deepEqual(recogniseDelivery({ 'x-gitlab-event': 'Push Hook' }), { forge: 'gitlab', event: 'Push Hook' });
    assert.deepEqual(recogniseDelivery({ 'x-github-event': 'push', 'x-gitea-event': 'push' }), { forge: 'gitea', event: 'push' });
    assert.deepEqual(recogniseDelivery({ 'x-github-event': 'push', 'x-forgejo-event': 'pull_request' }), { forge: 'gitea', event: 'pull_request' });
    assert.throws(() => recogniseDelivery({ 'content-type': 'application/json' }), isKind('invalid_input'));
  });
});

describe('verifyDelivery', () => {
  const github: Delivery = { forge: 'github', event: 'push' };
  const gitea: Delivery = { forge: 'gitea', event: 'push' };
  const gitlab: Delivery = { forge: 'gitlab', event: 'Push Hook' };

  it('accepts the right HMAC or token', () => {
    verifyDelivery(github, { 'x-hub-signature-256': `sha256=${hmac(secret, body)}` }, body, secret);
    verifyDelivery(github, { 'x-hub-signature-256': `sha256=${hmac(secret, body).toUpperCase()}` }, body, secret);
    verifyDelivery(gitea, { 'x-gitea-signature': hmac(secret, body) }, body, secret);
    verifyDelivery(gitea, { 'x-forgejo-signature': hmac(secret, body) }, body, secret);
    verifyDelivery(gitlab, { 'x-gitlab-token': secret }, body, secret);
  });

  it('refuses a missing, wrong, truncated or other-body signature, and GitHub\'s old SHA-1 header alone', () => {
    const tampered = Buffer.from('{"zen":"Keep it logically awesome!"}');
    const cases: [Delivery, Record<string, string>][] = [
      [github, {}],
      [github, { 'x-hub-signature-256': `sha256=${hmac('wrong', body)}` }],
      [github, { 'x-hub-signature-256': `sha256=${hmac(secret, tampered)}` }],
      [github, { 'x-hub-signature-256': `sha256=${hmac(secret, body).slice(0, 40)}` }],
      [github, { 'x-hub-signature-256': hmac(secret, body) }],
      [github, { 'x-hub-signature': `sha1=${createHmac('sha1', secret).update(body).digest('hex')}` }],
      [gitea, { 'x-gitea-signature': hmac('wrong', body) }],
      [gitea, { 'x-hub-signature-256': `sha256=${hmac('wrong', body)}` }],
      [gitlab, { 'x-gitlab-token': 'wrong' }],
      [gitlab, { 'x-gitlab-token': `${secret} ` }],
      [gitlab, {}],
    ];
    for (const [delivery, headers] of cases) {
      assert.throws(() => verifyDelivery(delivery, headers, body, secret), isKind('unauthorized'), JSON.stringify(headers));
    }
  });
});

describe('payloadOf', () => {
  it('reads JSON bodies and GitHub\'s form-encoded payload field', () => {
    assert.deepEqual(payloadOf(Buffer.from('{"a":1}'), 'application/json'), { a: 1 });
    assert.deepEqual(payloadOf(Buffer.from(`payload=${encodeURIComponent('{"a":2}')}`), 'application/x-www-form-urlencoded'), { a: 2 });
    assert.throws(() => payloadOf(Buffer.from('not json'), 'application/json'), isKind('invalid_input'));
  });
});

describe('readForgeEvent', () => {
  it('reads pushes and tags from every forge', () => {
    assert.deepEqual(readForgeEvent({ forge: 'github', event: 'push' }, { ref: 'refs/heads/main', before: SHA2, after: SHA, deleted: false }), {
      kind: 'push', ref: 'refs/heads/main', commit: SHA, deleted: false,
    });
    assert.deepEqual(readForgeEvent({ forge: 'gitlab', event: 'Tag Push Hook' }, { object_kind: 'tag_push', ref: 'refs/tags/v1.2.0', after: SHA }), {
      kind: 'push', ref: 'refs/tags/v1.2.0', commit: SHA, deleted: false,
    });
    assert.deepEqual(readForgeEvent({ forge: 'gitea', event: 'push' }, { ref: 'refs/heads/feature/x', after: SHA }), {
      kind: 'push', ref: 'refs/heads/feature/x', commit: SHA, deleted: false,
    });
  });

  it('reads a deleted branch as deleted', () => {
    const zero = '0'.repeat(40);
    assert.equal((readForgeEvent({ forge: 'gitlab', event: 'Push Hook' }, { ref: 'refs/heads/old', after: zero }) as { deleted: boolean }).deleted, true);
    assert.equal((readForgeEvent({ forge: 'github', event: 'push' }, { ref: 'refs/heads/old', after: zero, deleted: true }) as { deleted: boolean }).deleted, true);
  });

  it('reads GitHub and Gitea pull requests, a fork by its head repository', () => {
    const pr = (action: string, headRepo: string | null) => ({
      action, number: 12,
      pull_request: { number: 12, head: { ref: 'fix/typo', sha: SHA, repo: headRepo === null ? null : { full_name: headRepo } }, base: { ref: 'main', repo: { full_name: 'acme/web' } } },
    });
    assert.deepEqual(readForgeEvent({ forge: 'github', event: 'pull_request' }, pr('opened', 'acme/web')), {
      kind: 'pull_request', number: 12, commit: SHA, remoteRef: 'refs/pull/12/head', sourceBranch: 'fix/typo', targetBranch: 'main', fromFork: false,
    });
    assert.equal((readForgeEvent({ forge: 'github', event: 'pull_request' }, pr('synchronize', 'mallory/web')) as { fromFork: boolean }).fromFork, true);
    assert.equal((readForgeEvent({ forge: 'github', event: 'pull_request' }, pr('reopened', null)) as { fromFork: boolean }).fromFork, true, 'a deleted fork is still a fork');
    assert.equal(readForgeEvent({ forge: 'gitea', event: 'pull_request' }, pr('synchronized', 'acme/web')).kind, 'pull_request');
    assert.equal(readForgeEvent({ forge: 'github', event: 'pull_request' }, pr('labeled', 'acme/web')).kind, 'ignored');
    assert.equal(readForgeEvent({ forge: 'github', event: 'pull_request' }, pr('closed', 'acme/web')).kind, 'ignored');
  });

  it('reads GitLab merge requests; an update without new commits starts nothing', () => {
    const mr = (action: string, sourceProject: number, oldrev?: string) => ({
      object_kind: 'merge_request',
      object_attributes: { iid: 5, action, source_branch: 'feat', target_branch: 'main', source_project_id: sourceProject, target_project_id: 1, last_commit: { id: SHA }, ...(oldrev && { oldrev }) },
    });
    assert.deepEqual(readForgeEvent({ forge: 'gitlab', event: 'Merge Request Hook' }, mr('open', 1)), {
      kind: 'pull_request', number: 5, commit: SHA, remoteRef: 'refs/merge-requests/5/head', sourceBranch: 'feat', targetBranch: 'main', fromFork: false,
    });
    assert.equal((readForgeEvent({ forge: 'gitlab', event: 'Merge Request Hook' }, mr('update', 2, SHA2)) as { fromFork: boolean }).fromFork, true);
    assert.equal(readForgeEvent({ forge: 'gitlab', event: 'Merge Request Hook' }, mr('update', 1)).kind, 'ignored');
    assert.equal(readForgeEvent({ forge: 'gitlab', event: 'Merge Request Hook' }, mr('merge', 1)).kind, 'ignored');
  });

  it('answers pings and other events without running anything', () => {
    assert.equal(readForgeEvent({ forge: 'github', event: 'ping' }, { zen: 'x' }).kind, 'ignored');
    assert.equal(readForgeEvent({ forge: 'github', event: 'issues' }, {}).kind, 'ignored');
  });

  it('refuses malformed fields with the field named, including refs that could be read as options', () => {
    const push = { forge: 'github', event: 'push' } as const;
    assert.throws(() => readForgeEvent(push, { ref: 'refs/heads/main', after: 'HEAD' }), isKind('invalid_input', 'after'));
    assert.throws(() => readForgeEvent(push, { ref: '--upload-pack=touch /tmp/x', after: SHA }), isKind('invalid_input', 'ref'));
    assert.throws(() => readForgeEvent(push, { ref: 'refs/heads/a:refs/heads/b', after: SHA }), isKind('invalid_input', 'ref'));
    assert.throws(() => readForgeEvent(push, { ref: 'refs/remotes/origin/main', after: SHA }), isKind('invalid_input', 'ref'));
    assert.throws(() => readForgeEvent(push, []), isKind('invalid_input'));
    assert.throws(() => readForgeEvent({ forge: 'github', event: 'pull_request' }, { action: 'opened', number: -1 }), isKind('invalid_input', 'number'));
  });
});

describe('safeRefName', () => {
  it('follows git check-ref-format where it matters', () => {
    for (const ok of ['refs/heads/main', 'refs/heads/feature/x-1', 'refs/tags/v1.0.0']) assert.ok(safeRefName(ok), ok);
    for (const bad of ['-x', 'refs/heads/a..b', 'refs/heads/a b', 'refs/heads/a~1', 'refs/heads/a^', 'refs/heads/a:b', 'refs/heads/a@{1}', 'refs/heads/x.lock', 'refs/heads/.hidden', 'refs/heads/x/', 'refs/heads/x.', 'refs/heads//x', 'refs/heads/a\\b', 'refs/heads/a*']) {
      assert.ok(!safeRefName(bad), bad);
    }
  });
});
