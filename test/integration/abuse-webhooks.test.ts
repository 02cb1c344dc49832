// Forged and replayed webhooks (issue 12), through the real HTTP app and the real git adapter fetching from a
// forge served over smart HTTP on 127.0.0.1: a wrong, missing or other-body signature (GitHub, Gitea, GitLab), an
// unknown app, a replayed delivery id and a delivery naming an older commit than the branch head start no run.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { GitRepos } from '../../src/adapters/git/repos.js';
import { closeServer, listenTcp } from '../../src/api/http/listen.js';
import { crashOf, testApp, WEBHOOK_SECRET, type TestApp } from '../support/fuzz-app.js';
import { Tally } from '../support/fuzz.js';

const exec = promisify(execFile);

type Forge = 'github' | 'gitea' | 'gitlab';

/** Headers a forge sends; `sign` decides what proof goes along (the right one, another secret's, another body's, none). */
function headersFor(forge: Forge, body: string, id: string, proof: { secret: string; body?: string } | null): Record<string, string> {
  const hmac = (secret: string, text: string) => createHmac('sha256', secret).update(text).digest('hex');
  const signed = proof === null ? null : hmac(proof.secret, proof.body ?? body);
  switch (forge) {
    case 'github':
      return { 'x-github-event': 'push', 'x-github-delivery': id, ...(signed === null ? {} : { 'x-hub-signature-256': `sha256=${signed}` }) };
    case 'gitea':
      return { 'x-gitea-event': 'push', 'x-github-event': 'push', 'x-gitea-delivery': id, ...(signed === null ? {} : { 'x-gitea-signature': signed }) };
    case 'gitlab':
      return { 'x-gitlab-event': 'Push Hook', 'x-gitlab-event-uuid': id, ...(proof === null ? {} : { 'x-gitlab-token': proof.body === undefined ? proof.secret : `${proof.secret}x` }) };
  }
}

describe('forged and replayed webhooks (issue 12)', () => {
  let root: string;
  let forgeServer: Awaited<ReturnType<typeof listenTcp>> | undefined;
  let t: TestApp;
  let work: (...args: string[]) => Promise<string>;
  const commits: string[] = [];

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'slipway-hooks-'));
    // The forge: a bare repository served over smart HTTP by git itself, on 127.0.0.1.
    const forge = new GitRepos(join(root, 'forge'));
    await forge.ensure('web');
    forgeServer = await listenTcp((request) => {
      const rest = /^\/web\.git(\/.*)$/.exec(new URL(request.url).pathname)?.[1];
      return rest === undefined ? new Response('no', { status: 404 }) : forge.serveHttp('web', { request, rest, remoteUser: 'forge', hookEnv: {} });
    }, '127.0.0.1', 0);
    const url = `http://127.0.0.1:${(forgeServer.address() as AddressInfo).port}/web.git`;
    const dir = join(root, 'work');
    await mkdir(dir);
    work = async (...args) => (await exec('git', ['-C', dir, '-c', 'user.name=T', '-c', 'user.email=t@slipway.test', ...args])).stdout.trim();
    await work('init', '-q', '-b', 'main');
    for (const n of [1, 2]) {
      await writeFile(join(dir, 'Dockerfile'), `FROM alpine\nRUN echo ${n}\n`);
      await work('add', '-A');
      await work('commit', '-qm', `change ${n}`);
      commits.push(await work('rev-parse', 'HEAD'));
    }
    await work('push', '-q', forge.dirOf('web'), 'main');
    t = await testApp({ git: new GitRepos(join(root, 'app')), repoUrl: url });
  });

  after(async () => {
    // Also when `before` failed half-way: whatever was started is stopped, so the file's process can exit.
    await (t as TestApp | undefined)?.close();
    if (forgeServer !== undefined) await closeServer(forgeServer);
    await rm(root, { recursive: true, force: true });
  });

  it('refuses every forged, replayed or stale delivery and starts no run; a genuine one runs once', async (ctx) => {
    const tally = new Tally('webhooks');
    const [old, head] = commits as [string, string];
    const payload = (after: string) => JSON.stringify({ ref: 'refs/heads/main', before: '0'.repeat(40), after, repository: { full_name: 'acme/web' } });
    const runs = async () => (await t.store.listRuns('web', 1000)).length;
    const deliver = async (label: string, app: string, body: string, headers: Record<string, string>, expect: number | null) => {
      await tally.measure(label, async () => {
        const before = await runs();
        const res = await t.send('POST', `/hooks/${app}`, body, { ...headers, authorization: '' });
        const crash = crashOf(res);
        if (crash !== null) return crash;
        const started = (await runs()) - before;
        if (expect === null) {
          if (started !== 0) return `started ${started} run(s): HTTP ${res.status} ${res.text.slice(0, 200)}`;
          tally.count(res.status >= 400 ? `refused ${res.status}` : 'ignored (2xx, no run)');
          return null;
        }
        if (res.status !== expect || started !== 1) return `expected ${expect} and one run, got HTTP ${res.status} and ${started}: ${res.text.slice(0, 200)}`;
        tally.count('genuine, ran once');
        return null;
      });
    };
    const other = `not-${WEBHOOK_SECRET}`;
    for (const forge of ['github', 'gitea', 'gitlab'] as const) {
      const id = () => `${forge}-${randomBytes(6).toString('hex')}`;
      const body = payload(head);
      await deliver(`${forge} wrong secret`, 'web', body, headersFor(forge, body, id(), { secret: other }), null);
      await deliver(`${forge} no proof`, 'web', body, headersFor(forge, body, id(), null), null);
      await deliver(`${forge} proof of another body`, 'web', body, headersFor(forge, body, id(), { secret: WEBHOOK_SECRET, body: payload(old) }), null);
      await deliver(`${forge} empty proof`, 'web', body, { ...headersFor(forge, body, id(), null), 'x-hub-signature-256': '', 'x-gitea-signature': '', 'x-gitlab-token': '' }, null);
      await deliver(`${forge} unknown app, right proof`, 'nope', body, headersFor(forge, body, id(), { secret: WEBHOOK_SECRET }), null);
      await deliver(`${forge} hostile app name`, '..%2F..%2Fetc', body, headersFor(forge, body, id(), { secret: WEBHOOK_SECRET }), null);
      // Signed right, but for the older commit: the branch head is another, so it is stale (or replayed later).
      await deliver(`${forge} old commit`, 'web', payload(old), headersFor(forge, payload(old), id(), { secret: WEBHOOK_SECRET }), null);
    }
    // One genuine delivery runs; the same delivery again (same id, same signature) starts nothing.
    const body = payload(head);
    const genuine = headersFor('github', body, 'github-genuine-1', { secret: WEBHOOK_SECRET });
    await deliver('github genuine', 'web', body, genuine, 200);
    await deliver('github replayed id', 'web', body, genuine, null);
    // A new id for the same commit is not a new push: the head already ran.
    await deliver('github same commit, new id', 'web', body, { ...genuine, 'x-github-delivery': 'github-genuine-2', 'x-hub-signature-256': genuine['x-hub-signature-256']! }, null);
    ctx.diagnostic(tally.summary());
    assert.deepEqual(tally.crashes, []);
    assert.equal(tally.counts.get('genuine, ran once'), 1);
  });
});
