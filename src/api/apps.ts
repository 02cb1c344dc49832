// What users can do with apps, shared by the HTTP API and the git remote: create, change, delete, inspect.
// (Deploys, rollbacks and every other way a run starts are in src/trigger/.)

import { SlipwayError } from '../core/errors.js';
import type { AppSummary } from '../core/api.js';
import type { EventBus } from '../core/events.js';
import { appNetworkName, appServiceName, appUrl } from '../core/naming.js';
import { parseAppName, parseDomain } from '../core/names.js';
import type { EnginePort } from '../core/ports/engine.js';
import type { AppPatch, Store } from '../core/ports/store.js';
import type { App, AppStatus } from '../core/types.js';
import type { RouteSync } from '../edge/route-sync.js';
import type { RunQueue } from '../run/queue.js';
import type { GitPort } from '../core/ports/git.js';
import { removeAppStacks } from '../converge/stack-removal.js';
import type { CreateAppInput, UpdateAppInput } from './http/schemas.js';

export interface AppsDeps {
  readonly store: Store;
  readonly bus: EventBus;
  readonly engine: EnginePort;
  readonly repos: Pick<GitPort, 'ensure'>;
  readonly queue: Pick<RunQueue, 'kick'>;
  readonly routes: RouteSync;
  readonly instance: string;
  readonly httpsPort: number;
  readonly publicUrl: string;
  /** Slipway's own domain (SLIPWAY_DOMAIN): the edge routes it to Slipway, so no app may take it. */
  readonly reservedDomain?: string | null;
}

export class Apps {
  constructor(private readonly d: AppsDeps) {}

  /** `input` is checked (http/schemas.ts createAppBody); name and domain again, for callers besides HTTP (`slipway up`). */
  async create(input: CreateAppInput): Promise<AppSummary> {
    const name = parseAppName(input.name);
    const domain = parseDomain(input.domain);
    await this.#assertDomainFree(domain, null);
    const app = await this.d.store.createApp({
      name,
      domain,
      port: input.port ?? 3000,
      replicas: input.replicas ?? 1,
      branch: input.branch ?? 'main',
      concurrency: input.concurrency ?? 1,
    });
    await this.d.repos.ensure(name);
    await this.d.store.recordEvent('app.created', name, { domain });
    this.d.bus.emit('app.created', { app: name, domain });
    // Route the domain now so the certificate is usually ready before the first deploy finishes.
    await this.d.routes.sync();
    return this.summary(app);
  }

  /** `input` is checked (http/schemas.ts updateAppBody); absent fields stay. */
  async update(name: string, input: UpdateAppInput): Promise<AppSummary> {
    const patch: { -readonly [K in keyof AppPatch]: AppPatch[K] } = {};
    if (input.domain !== undefined) {
      patch.domain = input.domain;
      await this.#assertDomainFree(patch.domain, name);
    }
    if (input.port !== undefined) patch.port = input.port;
    if (input.replicas !== undefined) patch.replicas = input.replicas;
    if (input.branch !== undefined) patch.branch = input.branch;
    if (input.concurrency !== undefined) patch.concurrency = input.concurrency;
    await this.get(name);
    const app = await this.d.store.updateApp(name, patch);
    // A higher concurrency lets queued runs start now, not at the next push or run end.
    if (patch.concurrency !== undefined) this.d.queue.kick();
    await this.d.store.recordEvent('app.updated', name, patch);
    await this.d.routes.sync();
    return this.summary(app);
  }

  async get(name: string): Promise<App> {
    const app = await this.d.store.getApp(parseAppName(name));
    if (!app) throw new SlipwayError('not_found', `no app named ${name}`, { hint: 'list apps with `slipway apps list`' });
    return app;
  }

  async list(): Promise<AppSummary[]> {
    return Promise.all((await this.d.store.listApps()).map((a) => this.summary(a)));
  }

  async remove(name: string): Promise<void> {
    const app = await this.get(name);
    const active = (await this.d.store.listRuns(app.name, 20)).find((r) => r.status === 'running' || r.status === 'queued');
    if (active) {
      throw new SlipwayError('conflict', `app ${app.name} has run ${active.id} ${active.status}`, { hint: 'wait for it to finish, then delete' });
    }
    await this.d.engine.removeService(appServiceName(this.d.instance, app.name));
    // The edge leaves the app's and its stacks' networks first: dockerd refuses to remove a network in use (issue 12).
    await this.d.routes.leave(app.name);
    // Its stacks (`deploy: { stack }` steps) go with it: services first, then their networks.
    await removeAppStacks(this.d.engine, this.d.instance, app.name);
    await this.d.engine.removeNetwork(appNetworkName(this.d.instance, app.name));
    // History stays (audit), but nothing of a deleted app may count as live for a new app of the same name.
    const live = await this.d.store.liveRelease(app.name);
    if (live) await this.d.store.setReleaseStatus(live.id, 'superseded');
    await this.d.store.deleteApp(app.name);
    await this.d.routes.sync();
    await this.d.store.recordEvent('app.deleted', app.name, {});
    this.d.bus.emit('app.deleted', { app: app.name });
  }

  async status(name: string): Promise<AppStatus> {
    const app = await this.get(name);
    const [release, tasks, service, runs] = await Promise.all([
      this.d.store.liveRelease(app.name),
      this.d.engine.listTasks(appServiceName(this.d.instance, app.name)),
      this.d.engine.inspectService(appServiceName(this.d.instance, app.name)),
      this.d.store.listRuns(app.name, 1),
    ]);
    const current = tasks.filter((t) => t.desiredState === 'running');
    // A task with a HEALTHCHECK is reported running by Swarm only once healthy.
    const running = current.filter((t) => t.state === 'running').length;
    return {
      app,
      url: appUrl(app, this.d.httpsPort),
      release,
      replicas: { desired: service?.replicas ?? 0, running, healthy: running },
      tasks: tasks.slice(0, 10),
      lastRun: runs[0] ?? null,
    };
  }

  async summary(app: App): Promise<AppSummary> {
    const live = await this.d.store.liveRelease(app.name);
    return {
      ...app,
      url: appUrl(app, this.d.httpsPort),
      gitUrl: `${this.d.publicUrl.replace(/\/$/, '')}/git/${app.name}.git`,
      liveRelease: live?.number ?? null,
    };
  }

  async #assertDomainFree(domain: string, except: string | null): Promise<void> {
    if (domain === this.d.reservedDomain) {
      throw new SlipwayError('conflict', `domain ${domain} is Slipway's own (its API, git remote and webhooks)`, {
        field: 'domain',
        hint: 'give the app another domain, e.g. a subdomain such as app.' + domain,
      });
    }
    const owner = (await this.d.store.listApps()).find((a) => a.domain === domain && a.name !== except);
    if (owner) throw new SlipwayError('conflict', `domain ${domain} is already used by app ${owner.name}`, { field: 'domain' });
    const service = await this.d.routes.stackServiceOf(domain);
    if (service) throw new SlipwayError('conflict', `domain ${domain} is already used by stack service ${service}`, { field: 'domain' });
  }
}
