// A forge for tests, on 127.0.0.1: bare repositories served over smart HTTP by git's own http-backend, optionally
// behind an access token (as GitHub/GitLab/Gitea ask for private repositories), with pull request heads kept under
// refs/pull/<n>/head (GitHub, Gitea) or refs/merge-requests/<n>/head (GitLab); and signed webhook deliveries.

import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { serveGit } from '../../../src/adapters/git/http-backend.js';

const git = promisify(execFile);

export interface FakeForge {
  /** Clone URL of a repository (created empty on first use). */
  urlOf(repo: string): string;
  /** Creates the bare repository `repo`. */
  create(repo: string): Promise<string>;
  /** Pushes `ref` of the work tree at `dir` to the repository (remote ref may differ, e.g. refs/pull/3/head). */
  push(dir: string, repo: string, localRef: string, remoteRef: string): Promise<void>;
  /** How many requests arrived without the right token. */
  readonly refused: number;
  /** Commit statuses posted to the forge's API (GitHub /api/v3, Gitea /api/v1, GitLab /api/v4), in order. */
  readonly statuses: readonly { path: string; authorization: string | undefined; privateToken: string | undefined; body: Record<string, unknown> }[];
  close(): Promise<void>;
}

export async function startFakeForge(opts: { token?: string } = {}): Promise<FakeForge> {
  const root = await mkdtemp(join(tmpdir(), 'fake-forge-'));
  let refused = 0;
  const statuses: FakeForge['statuses'][number][] = [];
  const expected = opts.token === undefined ? null : `Basic ${Buffer.from(`oauth2:${opts.token}`).toString('base64')}`;
  const server: Server = createServer((req, res) => {
    void (async () => {
      const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      if (req.method === 'POST' && /^\/api\/v[134]\/.*\/statuses\/[0-9a-f]{40}$/.test(path)) {
        let text = '';
        for await (const chunk of req) text += String(chunk);
        statuses.push({ path, authorization: req.headers.authorization, privateToken: req.headers['private-token'] as string | undefined, body: JSON.parse(text) as Record<string, unknown> });
        res.writeHead(201, { 'content-type': 'application/json' }).end('{}');
        return;
      }
      if (expected !== null && req.headers.authorization !== expected) {
        refused++;
        res.writeHead(401, { 'www-authenticate': 'Basic realm="fake forge"' }).end('token required\n');
        return;
      }
      const match = /^\/((?:[a-z0-9-]+\/)?[a-z0-9-]+)\.git(\/.*)$/.exec(path);
      if (!match) {
        res.writeHead(404).end();
        return;
      }
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
      const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
      const request = new Request(`http://127.0.0.1${req.url}`, {
        method: req.method ?? 'GET',
        headers,
        ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream, duplex: 'half' } : {}),
      } as RequestInit);
      const response = await serveGit(root, match[1]!, { request, rest: match[2]!, remoteUser: 'forge', hookEnv: {} });
      res.writeHead(response.status, Object.fromEntries(response.headers));
      if (response.body) for await (const chunk of response.body) res.write(chunk);
      res.end();
    })().catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    urlOf: (repo) => `http://127.0.0.1:${port}/${repo}.git`,
    async create(repo) {
      const dir = join(root, `${repo}.git`);
      await mkdir(dir, { recursive: true });
      await git('git', ['init', '--bare', '--quiet', dir]);
      await git('git', ['-C', dir, 'config', 'http.receivepack', 'true']);
      return dir;
    },
    async push(dir, repo, localRef, remoteRef) {
      // Straight into the bare repository: the forge's own web UI and API are not what is tested.
      await git('git', ['-C', dir, 'push', '--quiet', '--force', join(root, `${repo}.git`), `${localRef}:${remoteRef}`]);
    },
    get refused() {
      return refused;
    },
    statuses,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(root, { recursive: true, force: true });
    },
  };
}

export type ForgeKind = 'github' | 'gitlab' | 'gitea';

/** Headers and body of a webhook delivery as the forge would send it, signed (or tokened) with `secret`. */
export function signedDelivery(forge: ForgeKind, event: string, payload: unknown, secret: string): { headers: Record<string, string>; body: string } {
  const body = JSON.stringify(payload);
  const hmac = createHmac('sha256', secret).update(body).digest('hex');
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (forge === 'github') Object.assign(headers, { 'x-github-event': event, 'x-github-delivery': crypto.randomUUID(), 'x-hub-signature-256': `sha256=${hmac}` });
  if (forge === 'gitea') Object.assign(headers, { 'x-gitea-event': event, 'x-github-event': event, 'x-gitea-signature': hmac });
  if (forge === 'gitlab') Object.assign(headers, { 'x-gitlab-event': event, 'x-gitlab-token': secret });
  return { headers, body };
}

/** A GitHub/Gitea push payload with the fields Slipway reads (real ones carry many more). */
export function pushPayload(ref: string, after: string, before = '0'.repeat(40)): unknown {
  return { ref, before, after, deleted: /^0+$/.test(after), repository: { full_name: 'acme/web' }, commits: [] };
}

/** A GitHub/Gitea pull_request payload; `headRepo` other than acme/web makes it a fork. */
export function pullRequestPayload(action: string, number: number, sha: string, headBranch: string, headRepo: string, baseBranch = 'main'): unknown {
  return {
    action,
    number,
    pull_request: {
      number,
      head: { ref: headBranch, sha, repo: { full_name: headRepo } },
      base: { ref: baseBranch, repo: { full_name: 'acme/web' } },
    },
    repository: { full_name: 'acme/web' },
  };
}

/** A GitLab merge request payload; a source project other than 1 makes it a fork. */
export function mergeRequestPayload(action: string, iid: number, sha: string, sourceBranch: string, sourceProject: number, oldrev?: string): unknown {
  return {
    object_kind: 'merge_request',
    object_attributes: { iid, action, source_branch: sourceBranch, target_branch: 'main', source_project_id: sourceProject, target_project_id: 1, last_commit: { id: sha }, ...(oldrev ? { oldrev } : {}) },
  };
}
