// Apps that follow a repository on a forge (GitHub, GitLab, Gitea/Forgejo): connect an app to its clone URL, show and
// remove the link. Its webhook deliveries become runs in trigger/forge/receive.ts.

import { randomBytes } from 'node:crypto';
import { repoTokenContext, webhookSecretContext, type Sealer } from '../core/ports/sealer.js';
import { SlipwayError } from '../core/errors.js';
import type { Store } from '../core/ports/store.js';
import type { RepoLink } from '../core/api.js';
import type { GitPort } from '../core/ports/git.js';
import { Secret } from '../core/secret.js';
import type { Apps } from './apps.js';
import type { ConnectRepoInput } from './http/schemas.js';

export interface ForgeDeps {
  readonly store: Store;
  readonly apps: Pick<Apps, 'get'>;
  readonly repos: Pick<GitPort, 'ensure' | 'probe'>;
  readonly sealer: Pick<Sealer, 'seal'>;
  /** This server's public base URL, for the webhook URL users paste into the forge. */
  readonly publicUrl: string;
}

export class ForgeHooks {
  constructor(private readonly d: ForgeDeps) {}

  /** Links the app to its repository after checking it can be read; a new webhook secret unless one is given.
   *  `input` is checked (http/schemas.ts connectRepoBody). */
  async connect(appName: string, input: ConnectRepoInput): Promise<RepoLink> {
    const app = await this.d.apps.get(appName);
    const url = input.repo;
    const token = input.token ?? null;
    const given = input.webhookSecret ?? null;
    if (given !== null && given.length < 16) {
      throw new SlipwayError('invalid_input', 'the webhook secret is shorter than 16 characters', { field: 'webhookSecret', hint: 'leave it out and Slipway generates one' });
    }
    await this.d.repos.probe(url, token === null ? null : new Secret(token));
    const secret = given ?? randomBytes(24).toString('base64url');
    const stored = await this.d.store.setAppRepo({
      app: app.name,
      url,
      webhookSecret: this.d.sealer.seal(secret, webhookSecretContext(app.name)),
      token: token === null ? null : this.d.sealer.seal(token, repoTokenContext(app.name)),
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

  #link(app: string, repo: string, hasToken: boolean, updatedAt: string): RepoLink {
    return { app, repo, webhookUrl: `${this.d.publicUrl.replace(/\/$/, '')}/hooks/${app}`, hasToken, updatedAt };
  }
}
