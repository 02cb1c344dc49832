// What users can do with apps, shared by the HTTP API and the git remote: create, deploy, roll back, inspect.

import type { Readable } from 'node:stream';
import { SlipwayError } from '../core/errors.js';
import type { AppSummary } from '../core/api.js';
import type { EventBus } from '../core/events.js';
import { appServiceName, appUrl } from '../core/naming.js';
import { parseAppName, parseBranch, parseConcurrency, parseDomain, parsePort, parseReplicas } from '../core/names.js';
import type { EnginePort } from '../core/ports/engine.js';
import type { GitPort } from '../core/ports/git.js';
import type { AppPatch, NewRun, Store } from '../core/ports/store.js';
import type { App, AppStatus, Run } from '../core/types.js';
import type { RouteSync } from '../edge/route-sync.js';
import type { RunQueue } from '../run/queue.js';
import type { RunSources } from '../trigger/sources.js';
import { pipelineFilesFromGit } from '../trigger/pipeline-files.js';
import { asRecord } from '../adapters/docker/convert.js';
import { removeAppStacks } from '../converge/stack-removal.js';
import { enqueueRun } from './enqueue.js';

export interface AppsDeps {
  readonly store: Store;
  readonly bus: EventBus;
  readonly engine: EnginePort;
  readonly repos: GitPort;
  readonly sources: RunSources;
  readonly queue: RunQueue;
  readonly routes: RouteSync;
  readonly instance: string;
  readonly httpsPort: number;
  readonly publicUrl: string;
}

export class Apps {
  constructor(private readonly d: AppsDeps) {}

  async create(body: unknown): Promise<AppSummary> {
    const b = asRecord(body);
    const name = parseAppName(b.name);
    const domain = parseDomain(b.domain);
    await this.#assertDomainFree(domain, null);
    const app = await this.d.store.createApp({
      name,
      domain,
      port: b.port === undefined ? 3000 : parsePort(b.port),
      replicas: b.replicas === undefined ? 1 : parseReplicas(b.replicas),
      branch: b.branch === undefined ? 'main' : parseBranch(b.branch),
      concurrency: b.concurrency === undefined ? 1 : parseConcurrency(b.concurrency),
    });
    await this.d.repos.ensure(name);
    await this.d.store.recordEvent('app.created', name, { domain });
    this.d.bus.emit('app.created', { app: name, domain });
    // Route the domain now so the certificate is usually ready before the first deploy finishes.
    await this.d.routes.sync();
    return this.summary(app);
  }

  async update(name: string, body: unknown): Promise<AppSummary> {
    const b = asRecord(body);
    const patch: { -readonly [K in keyof AppPatch]: AppPatch[K] } = {};
    if (b.domain !== undefined) {
      patch.domain = parseDomain(b.domain);
      await this.#assertDomainFree(patch.domain, name);
    }
    if (b.port !== undefined) patch.port = parsePort(b.port);
    if (b.replicas !== undefined) patch.replicas = parseReplicas(b.replicas);
    if (b.branch !== undefined) patch.branch = parseBranch(b.branch);
    if (b.concurrency !== undefined) patch.concurrency = parseConcurrency(b.concurrency);
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
    // Its stacks (`deploy: { stack }` steps) go with it: services first, then their networks.
    await removeAppStacks(this.d.engine, this.d.instance, app.name);
    // History stays (audit), but nothing of a deleted app may count as live for a new app of the same name.
    const live = await this.d.store.liveRelease(app.name);
    if (live) await this.d.store.setReleaseStatus(live.id, 'superseded');
    await this.d.store.deleteApp(app.name);
    await this.d.routes.sync();
    await this.d.store.recordEvent('app.deleted', app.name, {});
    this.d.bus.emit('app.deleted', { app: app.name });
  }

  async deployUpload(name: string, body: Readable, label: string | null): Promise<Run> {
    const app = await this.get(name);
    const digest = await this.d.sources.saveUpload(body);
    return this.#enqueue({ app: app.name, source: 'upload', ref: label, commit: digest });
  }

  async deployCommit(app: App, ref: string, commit: string, event: 'push' | 'tag' = 'push'): Promise<Run> {
    return this.#enqueue({ app: app.name, source: 'git', ref, commit: await this.d.repos.resolveCommit(app.name, commit), event });
  }

  /**
   * A branch or tag was updated (Slipway's git remote or a forge push): the deploy branch always runs (its default
   * pipeline deploys); other branches and tags run only their own pipeline file, whose `when` filters decide.
   * Returns the queued run, if any, and a line for the pusher.
   */
  async receivePush(app: App, ref: string, commit: string): Promise<{ run: Run | null; note: string }> {
    const short = ref.replace(/^refs\/(heads|tags)\//, '');
    if (/^0+$/.test(commit)) return { run: null, note: `${ref} deleted; the running release is unchanged` };
    const event = ref.startsWith('refs/tags/') ? 'tag' : 'push';
    if (ref !== `refs/heads/${app.branch}` && !(await this.hasPipeline(app, commit))) {
      return { run: null, note: `${ref} stored; only pushes to ${app.branch} deploy (no pipeline file at this commit)` };
    }
    const run = await this.deployCommit(app, ref, commit, event);
    return { run, note: `run ${run.id} queued for ${app.name} (${event} ${short} at ${commit.slice(0, 12)})` };
  }

  /** Whether the commit carries its own pipeline file(s). */
  async hasPipeline(app: App, commit: string): Promise<boolean> {
    const files = await pipelineFilesFromGit(this.d.repos, app.name, commit).catch(() => []);
    return files.length > 0;
  }

  async rollback(name: string, body: unknown): Promise<Run> {
    const app = await this.get(name);
    const release = asRecord(body).release;
    if (release !== undefined && (typeof release !== 'number' || !Number.isInteger(release) || release < 1)) {
      throw new SlipwayError('invalid_input', `invalid release ${JSON.stringify(release)}`, { field: 'release', hint: 'give a release number such as 3' });
    }
    return this.#enqueue({ app: app.name, source: 'rollback', ref: null, commit: '', targetRelease: release ?? null });
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

  async #enqueue(run: NewRun): Promise<Run> {
    return enqueueRun(this.d, run);
  }

  async #assertDomainFree(domain: string, except: string | null): Promise<void> {
    const owner = (await this.d.store.listApps()).find((a) => a.domain === domain && a.name !== except);
    if (owner) throw new SlipwayError('conflict', `domain ${domain} is already used by app ${owner.name}`, { field: 'domain' });
  }
}
