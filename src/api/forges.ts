// Apps that follow a repository on a forge (GitHub, GitLab, Gitea/Forgejo): connect an app to its clone URL,
// and turn verified webhook deliveries into runs — pushes and tags like `git push slipway`, pull requests as
// `pull_request` runs of the pipeline file (never deploying; from forks without secrets, caches or pushes).

import { randomBytes } from 'node:crypto';
import type { Sealer } from '../core/ports/sealer.js';
import { asRecord } from '../adapters/docker/convert.js';
import { SlipwayError } from '../core/errors.js';
import type { GitPort } from '../core/ports/git.js';
import type { Store } from '../core/ports/store.js';
import type { Run } from '../core/types.js';
import type { DeliveryResult, RepoLink } from '../core/api.js';
import {
  payloadOf, readForgeEvent, recogniseDelivery, verifyDelivery, type Headers,
} from '../trigger/forge/deliveries.js';
import { parseRepoUrl } from '../trigger/forge/repo-url.js';
import { Secret } from '../core/secret.js';
import type { Apps } from './apps.js';

export interface ForgeDeps {
  readonly store: Store;
  readonly apps: Apps;
  readonly repos: GitPort;
  readonly sealer: Sealer;
  readonly enqueue: (run: Parameters<Store['createRun']>[0]) => Promise<Run>;
  /** This server's public base URL, for the webhook URL users paste into the forge. */
  readonly publicUrl: string;
}

/** GitHub sends at most 25 MB; pushes with thousands of commits stay well under this. */
export const MAX_DELIVERY_BYTES = 10 * 1024 * 1024;

export class ForgeHooks {
  constructor(private readonly d: ForgeDeps) {}

  /** Links the app to its repository after checking it can be read; a new webhook secret unless one is given. */
  async connect(appName: string, body: unknown): Promise<RepoLink> {
    const app = await this.d.apps.get(appName);
    const b = asRecord(body);
    const url = parseRepoUrl(b.repo);
    const token = optionalText(b.token, 'token', 'an access token with read access to the repository');
    const given = optionalText(b.webhookSecret, 'webhookSecret', 'at least 16 characters');
    if (given !== null && given.length < 16) {
      throw new SlipwayError('invalid_input', 'the webhook secret is shorter than 16 characters', { field: 'webhookSecret', hint: 'leave it out and Slipway generates one' });
    }
    await this.d.repos.probe(url, token === null ? null : new Secret(token));
    const secret = given ?? randomBytes(24).toString('base64url');
    const stored = await this.d.store.setAppRepo({
      app: app.name,
      url,
      webhookSecret: this.d.sealer.seal(secret),
      token: token === null ? null : this.d.sealer.seal(token),
      // Kept across reconnects; the next verified delivery says it anyway.
      forge: (await this.d.store.getAppRepo(app.name))?.forge ?? null,
    });
    await this.d.repos.ensure(app.name);
    await this.d.store.recordEvent('app.connected', app.name, { repo: url, token: token !== null });
    return { ...this.#link(stored.app, stored.url, stored.token !== null, stored.updatedAt), webhookSecret: secret };
  }

  async info(appName: string): Promise<RepoLink> {
    const app = await this.d.apps.get(appName);
    const repo = await this.d.store.getAppRepo(app.name);
    if (!repo) {
      throw new SlipwayError('not_found', `app ${app.name} is not connected to a repository`, {
        hint: `connect it with \`slipway apps connect ${app.name} --repo <clone URL>\``,
      });
    }
    return this.#link(repo.app, repo.url, repo.token !== null, repo.updatedAt);
  }

  async disconnect(appName: string): Promise<void> {
    const app = await this.d.apps.get(appName);
    await this.d.store.deleteAppRepo(app.name);
    await this.d.store.recordEvent('app.disconnected', app.name, {});
  }

  /** A webhook delivery: verified against the app's secret before anything in it is read. */
  async receive(appName: string, headers: Headers, body: Uint8Array): Promise<DeliveryResult> {
    const delivery = recogniseDelivery(headers);
    const app = await this.d.apps.get(appName);
    const repo = await this.d.store.getAppRepo(app.name);
    if (!repo) {
      throw new SlipwayError('not_found', `app ${app.name} is not connected to a repository`, {
        hint: `connect it with \`slipway apps connect ${app.name} --repo <clone URL>\` and use the webhook secret it prints`,
      });
    }
    verifyDelivery(delivery, headers, body, this.d.sealer.open(repo.webhookSecret).reveal());
    // Which forge it is decides where commit statuses go; only a verified delivery may say it.
    if (repo.forge !== delivery.forge) await this.d.store.setAppRepo({ ...repo, forge: delivery.forge });
    const event = readForgeEvent(delivery, payloadOf(body, headers['content-type']));
    const token = repo.token === null ? null : this.d.sealer.open(repo.token);
    const fetch = (remoteRef: string, localRef: string, commit: string) =>
      this.d.repos.fetch(app.name, { url: repo.url, token, remoteRef, localRef, commit });

    switch (event.kind) {
      case 'ignored':
        return { runs: [], note: event.reason };
      case 'push': {
        if (event.deleted) return { runs: [], note: `${event.ref} deleted; the running release is unchanged` };
        await fetch(event.ref, event.ref, event.commit);
        const { run, note } = await this.d.apps.receivePush(app, event.ref, event.commit);
        return { runs: run ? [{ id: run.id, event: run.ref?.startsWith('refs/tags/') ? 'tag' : 'push', ref: event.ref }] : [], note };
      }
      case 'pull_request': {
        // Every forge's pull request head is kept under one local name, which DRONE_PULL_REQUEST is read from.
        const localRef = `refs/pull/${event.number}/head`;
        await fetch(event.remoteRef, localRef, event.commit);
        // Without a pipeline file the default pipeline would deploy the unmerged code: run nothing.
        if (!(await this.d.apps.hasPipeline(app, event.commit))) {
          return { runs: [], note: `pull request #${event.number} has no pipeline file; nothing to run` };
        }
        const run = await this.d.enqueue({
          app: app.name, source: 'git', ref: localRef, commit: event.commit, event: 'pull_request',
          target: event.targetBranch, sourceBranch: event.sourceBranch, fromFork: event.fromFork,
        });
        const from = event.fromFork ? ' from a fork (no secrets)' : '';
        return { runs: [{ id: run.id, event: 'pull_request', ref: localRef }], note: `run ${run.id} queued for pull request #${event.number}${from}` };
      }
    }
  }

  #link(app: string, repo: string, hasToken: boolean, updatedAt: string): RepoLink {
    return { app, repo, webhookUrl: `${this.d.publicUrl.replace(/\/$/, '')}/hooks/${app}`, hasToken, updatedAt };
  }
}

function optionalText(value: unknown, field: string, expected: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value.trim() === '' || value.length > 4096 || /[\r\n\0]/.test(value)) {
    throw new SlipwayError('invalid_input', `invalid ${field}: expected ${expected}`, { field });
  }
  return value;
}
