// The built-in git remote (/git/<app>.git) and the endpoint its post-receive hook reports to.

import { Hono } from 'hono';
import { SlipwayError } from '../../core/errors.js';
import type { EventBus } from '../../core/events.js';
import type { Store } from '../../core/ports/store.js';
import type { Run } from '../../core/types.js';
import type { GitPort } from '../../core/ports/git.js';
import type { Apps } from '../apps.js';
import { sameSecret, tokenFromHeader } from '../auth.js';
import { demand } from './authz-guard.js';
import { followRunLog } from '../log-follow.js';
import type { Triggers } from '../triggers.js';
import { jsonBody, parseInput } from './body.js';
import { receivedBody } from './schemas.js';

/** The post-receive hook's ref list (token-authenticated, ~150 bytes a ref): room for a mirror push of 100 000 refs. */
const MAX_RECEIVED_BYTES = 16 * 1024 * 1024;

export interface GitDeps {
  readonly apps: Apps;
  readonly triggers: Pick<Triggers, 'push'>;
  readonly store: Store;
  readonly bus: EventBus;
  readonly repos: Pick<GitPort, 'ensure' | 'serveHttp'>;
  /** Where the hook reaches this server, and the per-process secret it must present. */
  readonly hookUrl: string;
  readonly hookToken: string;
}

export function gitRoutes(d: GitDeps): Hono {
  const r = new Hono();
  r.all('/git/:repo{[a-z0-9-]+\\.git}/*', async (c) => {
    const repo = c.req.param('repo');
    // git reads the last `service=` and Hono the first: more than one could make a push look like a fetch.
    if ((c.req.queries('service') ?? []).length > 1) throw new SlipwayError('invalid_input', 'give the git service once', { field: 'service' });
    // The guard checked read on this app (fetch); a push (receive-pack) needs deploy.
    const push = c.req.path.endsWith('/git-receive-pack') || c.req.query('service') === 'git-receive-pack';
    const token = demand(c, push ? 'deploy' : 'read', repo.replace(/\.git$/, ''));
    const app = await d.apps.get(repo.replace(/\.git$/, ''));
    await d.repos.ensure(app.name);
    const rest = c.req.path.slice(`/git/${repo}`.length);
    return d.repos.serveHttp(app.name, {
      request: c.req.raw,
      rest,
      remoteUser: token.name,
      hookEnv: { SLIPWAY_HOOK_URL: d.hookUrl, SLIPWAY_HOOK_TOKEN: d.hookToken, SLIPWAY_APP: app.name },
    });
  });

  r.post('/internal/git/received', async (c) => {
    const presented = tokenFromHeader(c.req.header('authorization'));
    if (!presented || !sameSecret(presented, d.hookToken)) throw new SlipwayError('unauthorized', 'invalid hook token');
    const body = parseInput(receivedBody, await jsonBody(c.req.raw, MAX_RECEIVED_BYTES));
    const app = await d.apps.get(body.app);
    const notes: string[] = [];
    let run: Run | null = null;
    for (const u of body.updates) {
      const received = await d.triggers.push(app, u.ref, u.newSha);
      run ??= received.run;
      notes.push(`slipway: ${received.note}\n`);
    }
    const prefix = new TextEncoder().encode(notes.join(''));
    const summary = await d.apps.summary(app);
    if (!run) return new Response(prefix, { headers: { 'content-type': 'text/plain; charset=utf-8' } });
    const log = followRunLog(d.store, d.bus, run.id, { follow: true, footer: (r) => resultLine(r, app.name, summary.url) });
    return new Response(prepend(prefix, log), { headers: { 'content-type': 'text/plain; charset=utf-8' } });
  });
  return r;
}

function resultLine(run: Run, app: string, url: string): string {
  if (run.status === 'succeeded') return `slipway: deployed ${app} (run ${run.id}): ${url}\n`;
  const hint = run.error?.hint ? `\nslipway: hint: ${run.error.hint}` : '';
  return `slipway: DEPLOY FAILED for ${app} (run ${run.id}): ${run.error?.message ?? run.status}${hint}\n`;
}

function prepend(first: Uint8Array, rest: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const reader = rest.getReader();
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(first);
    },
    async pull(controller) {
      const { value, done } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}
