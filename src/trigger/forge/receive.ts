// A forge webhook delivery (GitHub, GitLab, Gitea/Forgejo) turned into runs: verified against the app's secret before
// anything in it is read; pushes and tags run like `git push slipway`, pull requests as `pull_request` runs of the
// pipeline file (never deploying; from forks without secrets, caches or pushes).

import { createHash, randomBytes } from 'node:crypto';
import { SlipwayError } from '../../core/errors.js';
import type { AppRepo, Store } from '../../core/ports/store.js';
import type { App, Run } from '../../core/types.js';
import type { DeliveryResult } from '../../core/api.js';
import type { Enqueue } from '../enqueue.js';
import type { GitPort } from '../../core/ports/git.js';
import { repoTokenContext, webhookSecretContext, type SealContext } from '../../core/ports/sealer.js';
import { Secret } from '../../core/secret.js';
import type { PushTrigger } from '../push.js';
import { payloadOf, readForgeEvent, recogniseDelivery, verifyDelivery, type Delivery, type Headers } from './deliveries.js';
import { deliveryId, type DeliveryIds } from './delivery-ids.js';

export interface ReceiveDeps {
  readonly store: Store;
  readonly repos: Pick<GitPort, 'fetch'>;
  readonly push: Pick<PushTrigger, 'receive' | 'hasPipeline'>;
  readonly enqueue: Enqueue;
  /** Opens a sealed value (the webhook secret, the access token) stored with the app's repository. */
  readonly reveal: (sealed: string, context: SealContext) => string;
  /** The ids of deliveries already received: a redelivery starts nothing. */
  readonly seen: Pick<DeliveryIds, 'claim' | 'release'>;
}

/** GitHub sends at most 25 MB; pushes with thousands of commits stay well under this. */
export const MAX_DELIVERY_BYTES = 10 * 1024 * 1024;

/**
 * `app` is null when no app has the name in the URL. An unknown app, an app without a repository and a wrong
 * signature get the same answer (unauthorized), so the hook URL does not tell strangers which apps exist.
 */
export async function receiveDelivery(d: ReceiveDeps, app: App | null, headers: Headers, body: Uint8Array): Promise<DeliveryResult> {
  const delivery = recogniseDelivery(headers);
  const repo = app === null ? null : await d.store.getAppRepo(app.name);
  if (app === null || repo === null) {
    // Checked against a secret nobody has: the same refusal, after about the same work, as a wrong signature.
    verifyDelivery(delivery, headers, body, randomBytes(32).toString('hex'));
    throw new SlipwayError('unauthorized', 'the webhook delivery does not prove the app\'s webhook secret');
  }
  verifyDelivery(delivery, headers, body, d.reveal(repo.webhookSecret, webhookSecretContext(app.name)));
  // Only a verified delivery is remembered, so nobody without the secret can make Slipway ignore a real one.
  // The id header is not signed: a captured delivery replayed under a new id is still the same signed body, so the
  // body's digest is remembered too (a forge's own retry repeats both; two real events never share a body).
  const id = deliveryId(headers);
  const claims: string[] = [];
  for (const key of [id, `sha256:${createHash('sha256').update(body).digest('hex')}`]) {
    if (key === null) continue;
    if (!(await d.seen.claim(app.name, key))) {
      for (const claimed of claims) await d.seen.release(app.name, claimed);
      return { runs: [], note: `delivery ${id ?? '(no id)'} was already received${key === id ? '' : ' (the same signed payload)'}; nothing more to run` };
    }
    claims.push(key);
  }
  try {
    return await act(d, app, headers, body, delivery, repo);
  } catch (err) {
    // A failed delivery is not remembered: the forge's retry (same id) gets its run.
    for (const claimed of claims) await d.seen.release(app.name, claimed);
    throw err;
  }
}

async function act(d: ReceiveDeps, app: App, headers: Headers, body: Uint8Array, delivery: Delivery, repo: AppRepo): Promise<DeliveryResult> {
  // Which forge it is decides where commit statuses go; only a verified delivery may say it.
  if (repo.forge !== delivery.forge) await d.store.setAppRepo({ ...repo, forge: delivery.forge });
  const event = readForgeEvent(delivery, payloadOf(body, headers['content-type']));
  const token = repo.token === null ? null : d.reveal(repo.token, repoTokenContext(app.name));
  const fetch = (remoteRef: string, localRef: string, commit: string) =>
    d.repos.fetch(app.name, { url: repo.url, token: token === null ? null : new Secret(token), remoteRef, localRef, commit });

  switch (event.kind) {
    case 'ignored':
      return { runs: [], note: event.reason };
    case 'push': {
      if (event.deleted) return { runs: [], note: `${event.ref} deleted; the running release is unchanged` };
      const ran = await newestRunOf(d.store, app.name, event.ref);
      if (ran !== null && ran.commit === event.commit) {
        // A forge signs the body only, so a captured delivery can come back under a fresh id: the ref has not moved
        // since its newest run, so there is nothing new to run (a push back to an older commit still runs).
        return { runs: [], note: `${event.ref} is still at ${event.commit.slice(0, 12)}, which run ${ran.id} already took; nothing more to run (use \`slipway runs restart ${ran.id}\` to run it again)` };
      }
      await fetch(event.ref, event.ref, event.commit);
      const { run, note } = await d.push.receive(app, event.ref, event.commit);
      return { runs: run ? [{ id: run.id, event: run.ref?.startsWith('refs/tags/') ? 'tag' : 'push', ref: event.ref }] : [], note };
    }
    case 'pull_request': {
      // Every forge's pull request head is kept under one local name, which DRONE_PULL_REQUEST is read from.
      const localRef = `refs/pull/${event.number}/head`;
      await fetch(event.remoteRef, localRef, event.commit);
      // Without a pipeline file the default pipeline would deploy the unmerged code: run nothing.
      if (!(await d.push.hasPipeline(app, event.commit))) {
        return { runs: [], note: `pull request #${event.number} has no pipeline file; nothing to run` };
      }
      const run = await d.enqueue({
        app: app.name, source: 'git', ref: localRef, commit: event.commit, event: 'pull_request',
        target: event.targetBranch, sourceBranch: event.sourceBranch, fromFork: event.fromFork,
      });
      const from = event.fromFork ? ' from a fork (no secrets)' : '';
      return { runs: [{ id: run.id, event: 'pull_request', ref: localRef }], note: `run ${run.id} queued for pull request #${event.number}${from}` };
    }
  }
}

/** The app's newest run of this ref among its recent runs, or null. */
async function newestRunOf(store: Pick<Store, 'listRuns'>, app: string, ref: string): Promise<Run | null> {
  return (await store.listRuns(app, 50)).find((r) => r.ref === ref) ?? null;
}
