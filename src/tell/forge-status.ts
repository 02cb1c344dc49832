// Commit statuses on the forge: the pending / running / success / failure mark GitHub, GitLab and Gitea show next
// to a commit and on pull requests, pointing at the run in Slipway's dashboard.
//
// The API address is derived from the clone URL stored at connect time and the forge kind learned from verified
// deliveries — never from a payload — so the access token only ever goes to the host the app was connected to.

import type { EventBus } from '../core/events.js';
import type { ForgeKind, Store } from '../core/ports/store.js';
import { repoTokenContext, type SealContext } from '../core/ports/sealer.js';
import type { RunStatus } from '../core/types.js';

export type StatusOutcome = 'queued' | 'running' | RunStatus;

export interface StatusInfo {
  readonly targetUrl: string;
  readonly description: string;
  /** The check's name on the forge, e.g. "slipway/web". */
  readonly context: string;
}

export interface StatusRequest {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** The HTTP request that sets the commit's status; null when the clone URL has no web host to derive it from. */
export function statusRequest(forge: ForgeKind, cloneUrl: string, commit: string, outcome: StatusOutcome, token: string, info: StatusInfo): StatusRequest | null {
  let url: URL;
  try {
    url = new URL(cloneUrl);
  } catch {
    return null;
  }
  const path = url.pathname.replace(/^\/+/, '').replace(/\.git$/, '').replace(/\/+$/, '');
  if (path === '' || url.hostname === '') return null;
  // ssh:// and git:// clone URLs name the same host; its API speaks https.
  const origin = url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : `https://${url.hostname}`;
  const description = info.description.slice(0, 140);
  const json = { 'content-type': 'application/json', 'user-agent': 'slipway' };
  switch (forge) {
    case 'github': {
      const api = url.hostname === 'github.com' ? 'https://api.github.com' : `${origin}/api/v3`;
      return {
        url: `${api}/repos/${path}/statuses/${commit}`,
        headers: { ...json, accept: 'application/vnd.github+json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ state: githubState(outcome), target_url: info.targetUrl, description, context: info.context }),
      };
    }
    case 'gitea':
      return {
        url: `${origin}/api/v1/repos/${path}/statuses/${commit}`,
        headers: { ...json, authorization: `token ${token}` },
        body: JSON.stringify({ state: githubState(outcome), target_url: info.targetUrl, description, context: info.context }),
      };
    case 'gitlab':
      return {
        url: `${origin}/api/v4/projects/${encodeURIComponent(path)}/statuses/${commit}`,
        headers: { ...json, 'private-token': token },
        body: JSON.stringify({ state: gitlabState(outcome), target_url: info.targetUrl, description, name: info.context }),
      };
  }
}

function githubState(outcome: StatusOutcome): string {
  switch (outcome) {
    case 'queued':
    case 'running':
      return 'pending';
    case 'succeeded':
      return 'success';
    case 'failed':
      return 'failure';
    default:
      return 'error';
  }
}

function gitlabState(outcome: StatusOutcome): string {
  switch (outcome) {
    case 'queued':
      return 'pending';
    case 'running':
      return 'running';
    case 'succeeded':
      return 'success';
    case 'failed':
      return 'failed';
    default:
      return 'canceled';
  }
}

export interface ForgeStatusDeps {
  readonly bus: EventBus;
  readonly store: Store;
  /** Opens a sealed value (the app's access token). */
  readonly open: (sealed: string, context: SealContext) => string;
  /** Slipway's public URL, for links to the run. */
  readonly publicUrl: string;
  readonly warn: (line: string) => void;
  readonly fetch?: typeof fetch;
}

const TIMEOUT_MS = 10_000;

/**
 * Reports every git run of an app connected with an access token to its forge, as it is queued, starts and ends.
 * Reports of one run go out in order; a failing forge is logged and never affects the run.
 */
export function subscribeForgeStatuses(d: ForgeStatusDeps): () => void {
  const chains = new Map<number, Promise<void>>();
  const send = d.fetch ?? fetch;
  const report = (runId: number, app: string, outcome: StatusOutcome, summary: string) => {
    const previous = chains.get(runId) ?? Promise.resolve();
    const next = previous.then(() => reportOne(runId, app, outcome, summary)).catch((err: unknown) => {
      d.warn(`could not report run ${runId} to the forge: ${err instanceof Error ? err.message : String(err)}`);
    });
    chains.set(runId, next);
    if (outcome !== 'queued' && outcome !== 'running') void next.finally(() => chains.get(runId) === next && chains.delete(runId));
  };
  const reportOne = async (runId: number, app: string, outcome: StatusOutcome, summary: string) => {
    const [run, repo] = await Promise.all([d.store.getRun(runId), d.store.getAppRepo(app)]);
    if (!run || run.source !== 'git' || !repo?.token || !repo.forge) return;
    const info = {
      targetUrl: `${d.publicUrl.replace(/\/$/, '')}/#/apps/${app}/runs/${runId}`,
      description: `run ${runId} ${summary}`,
      context: `slipway/${app}`,
    };
    const req = statusRequest(repo.forge, repo.url, run.commit, outcome, d.open(repo.token, repoTokenContext(app)), info);
    if (!req) return;
    const res = await send(req.url, { method: 'POST', headers: req.headers, body: req.body, signal: AbortSignal.timeout(TIMEOUT_MS) });
    if (!res.ok) throw new Error(`${repo.forge} answered ${res.status} for ${new URL(req.url).pathname}`);
    await res.body?.cancel();
  };
  const offs = [
    d.bus.on('run.queued', (e) => report(e.runId, e.app, 'queued', 'queued')),
    d.bus.on('run.started', (e) => report(e.runId, e.app, 'running', 'running')),
    d.bus.on('run.finished', (e) => report(e.runId, e.app, e.status, e.error ? `${e.status}: ${e.error.message}` : e.status)),
  ];
  return () => offs.forEach((off) => off());
}
